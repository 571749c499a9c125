namespace Threadline.Server.Api;

/// <summary>Why a request to the API was refused: the parameter at fault (if one is) and what to do.</summary>
internal readonly record struct ApiError(string? Parameter, string Message)
{
    public static ApiError ForParameter(string parameter, string problem) => new(parameter, $"Parameter '{parameter}' {problem}.");
}
