namespace Threadline.Query.TraceQL;

/// <summary>
/// A query that parsed but cannot run: a type error (<c>{ duration = "x" }</c>), a range too wide,
/// too many results or series. The message names the bound or the offending part.
/// </summary>
public sealed class TraceQLQueryException : Exception
{
    public TraceQLQueryException(string message) : base(message)
    {
    }

    public TraceQLQueryException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
