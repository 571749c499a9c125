using Threadline.Query.Parameters;

namespace Threadline.Server.Api;

/// <summary>Why a request to the API was refused: the parameter at fault (if one is) and what to do.</summary>
internal readonly record struct ApiError(string? Parameter, string Message)
{
    public static ApiError From(ParameterError error) => new(error.Parameter, error.Message);
}
