using System.Buffers.Binary;
using Threadline.Core.Model;

namespace Threadline.Protocol.Decoding;

/// <summary>
/// A trace or span id as a span or link carried it, before it is checked: its length as sent
/// (bytes on the protobuf wire, hex digits in JSON), whether its digits were hex, and its value.
/// Checking comes later, against the <see cref="IdRule"/> of the format, so that a bad id rejects
/// only its span.
/// </summary>
internal readonly record struct ReceivedId(int Length, bool IsHex, ulong High, ulong Low)
{
    /// <summary>Raw protobuf bytes: the value is read only when there are as many as a trace id or a span id has.</summary>
    public static ReceivedId FromBytes(ReadOnlySpan<byte> bytes) => bytes.Length switch
    {
        TraceId.ByteLength => new(bytes.Length, true, BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..])),
        SpanId.ByteLength => new(bytes.Length, true, 0, BinaryPrimitives.ReadUInt64BigEndian(bytes)),
        _ => new(bytes.Length, true, 0, 0),
    };

    /// <summary>UTF-8 hex digits of the exact length of a trace id (32) or a span id (16), either case.</summary>
    public static ReceivedId FromHex(ReadOnlySpan<byte> hex)
    {
        if (hex.Length == TraceId.HexLength)
        {
            var valid = TraceId.TryParse(hex, out var traceId);
            return new(hex.Length, valid, traceId.High, traceId.Low);
        }
        if (hex.Length == SpanId.HexLength)
        {
            var valid = SpanId.TryParse(hex, out var spanId);
            return new(hex.Length, valid, 0, spanId.Value);
        }
        return new(hex.Length, false, 0, 0);
    }

    /// <summary>
    /// Up to 32 hex digits, either case, read as if left-padded with zeros (as Zipkin reads its
    /// ids): a 16-digit trace id lands in <see cref="Low"/>. Longer input keeps only its length.
    /// </summary>
    public static ReceivedId FromPaddedHex(ReadOnlySpan<char> hex)
    {
        if (hex.Length > TraceId.HexLength) return new(hex.Length, false, 0, 0);
        var split = Math.Max(0, hex.Length - 16);
        var valid = TryParseDigits(hex[..split], out var high) & TryParseDigits(hex[split..], out var low);
        return new(hex.Length, valid, high, low);
    }

    public bool IsZero => (High | Low) == 0;

    /// <summary>Up to 16 hex digits; empty is zero.</summary>
    private static bool TryParseDigits(ReadOnlySpan<char> hex, out ulong value)
    {
        value = 0;
        foreach (var c in hex)
        {
            var nibble = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => -1,
            };
            if (nibble < 0) return false;
            value = (value << 4) | (uint)nibble;
        }
        return true;
    }
}

/// <summary>
/// What one id field of a format must look like, and how the format names it in a rejection:
/// "has a trace_id of 15 bytes (expected 16)", "has an id that is not hex".
/// </summary>
/// <param name="Name">The field as the format spells it (trace_id, traceId, id).</param>
/// <param name="Unit">What <see cref="ReceivedId.Length"/> counts: bytes or characters.</param>
/// <param name="Length">The length the id must have, or at most have when <paramref name="ShorterAllowed"/>.</param>
/// <param name="Expected">The length rule as the message states it: "16", "at most 32 hex digits".</param>
/// <param name="Required">False for a parent id, whose absence marks a root span and which may be all zeros.</param>
/// <param name="ShorterAllowed">Zipkin's left-padded ids.</param>
internal sealed record IdRule(string Name, string Unit, int Length, string Expected, bool Required, bool ShorterAllowed = false)
{
    /// <summary>Why the id cannot be used, or null when it can (or is an absent optional id).</summary>
    public string? Problem(in ReceivedId id)
    {
        if (id.Length == 0) return Required ? $"has no {Name}" : null;
        if (ShorterAllowed ? id.Length > Length : id.Length != Length)
            return $"has {Article} {Name} of {id.Length} {Unit} (expected {Expected})";
        if (!id.IsHex) return $"has {Article} {Name} that is not hex";
        if (Required && id.IsZero) return $"has an all-zero {Name}";
        return null;
    }

    private string Article => Name[0] is 'a' or 'e' or 'i' or 'o' or 'u' ? "an" : "a";
}

/// <summary>The rules for a span's three ids in one format; a link's trace and span ids follow the first two.</summary>
internal sealed record SpanIdRules(IdRule TraceId, IdRule SpanId, IdRule ParentSpanId)
{
    /// <summary>Why the span's ids make it unusable (the first problem found), or null.</summary>
    public string? Problem(in SpanDraft span) =>
        TraceId.Problem(span.TraceId) ?? SpanId.Problem(span.SpanId) ?? ParentSpanId.Problem(span.ParentSpanId);

    /// <summary>A link with an unusable id is dropped and counted; the span it belongs to is kept.</summary>
    public bool IsUsableLink(in ReceivedId traceId, in ReceivedId spanId) =>
        TraceId.Problem(traceId) is null && SpanId.Problem(spanId) is null;
}
