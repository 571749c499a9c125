using Threadline.Core.Model;

namespace Threadline.Protocol;

/// <summary>
/// The result of decoding one export request: the valid spans, plus what was rejected and why
/// (reported back through OTLP partial_success).
/// </summary>
public sealed record DecodedSpans(IReadOnlyList<Span> Spans, int RejectedSpans, string? ErrorMessage)
{
    public static readonly DecodedSpans None = new([], 0, null);
}
