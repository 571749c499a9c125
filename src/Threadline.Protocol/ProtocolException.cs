namespace Threadline.Protocol;

/// <summary>
/// The payload is not valid for its format (truncated, malformed, too deeply nested). The message
/// says what was wrong and where (byte offset or JSON path) so a client author can act on it.
/// </summary>
public sealed class ProtocolException : Exception
{
    public ProtocolException(string message) : base(message) { }
    public ProtocolException(string message, Exception inner) : base(message, inner) { }
}
