namespace Threadline.Server.Tempo;

/// <summary>
/// A Tempo API request that cannot be answered as given: a bad parameter, scope or id. Its message
/// is what the client sees (HTTP 400 as plain text, gRPC INVALID_ARGUMENT), worded as Tempo words its own.
/// </summary>
internal sealed class TempoRequestException : Exception
{
    public TempoRequestException(string message) : base(message)
    {
    }
}
