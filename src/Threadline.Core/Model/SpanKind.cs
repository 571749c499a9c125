namespace Threadline.Core.Model;

/// <summary>The span's role in the request; numbered as OTLP's Span.SpanKind.</summary>
public enum SpanKind : byte
{
    Unspecified = 0,
    Internal = 1,
    Server = 2,
    Client = 3,
    Producer = 4,
    Consumer = 5,
}

/// <summary>Status code; numbered as OTLP's Status.StatusCode.</summary>
public enum StatusCode : byte
{
    Unset = 0,
    Ok = 1,
    Error = 2,
}

/// <summary>A span's status: a code and, for errors, a human-readable message.</summary>
public readonly record struct SpanStatus(StatusCode Code, string Message)
{
    public static readonly SpanStatus Unset = new(StatusCode.Unset, string.Empty);
}
