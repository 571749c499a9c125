using System.Buffers.Text;
using System.Globalization;
using Threadline.Core.Model;

namespace Threadline.Protocol.Jaeger;

/// <summary>Trace and span ids as Jaeger's query service writes and reads them.</summary>
public static class JaegerIds
{
    private const int MaxBase64Length = 24; // 16 bytes with padding; 22 without

    /// <summary>
    /// A trace id as Jaeger prints it: 16 hex digits when the high half is zero (a 64-bit id),
    /// otherwise 32, lower case.
    /// </summary>
    public static string Format(TraceId traceId) =>
        traceId.High == 0 ? traceId.Low.ToString("x16", CultureInfo.InvariantCulture) : traceId.ToString();

    /// <summary>
    /// Reads a trace id as Jaeger accepts it in a URL: 1 to 32 hex digits (leading zeros may be
    /// left out), or the 16 (or 8) id bytes in base64, standard or URL-safe, padded or not.
    /// The all-zero id is refused.
    /// </summary>
    public static bool TryParseTraceId(string text, out TraceId traceId)
    {
        ArgumentNullException.ThrowIfNull(text);
        traceId = TraceId.Empty;
        if (TryParseHex(text, out traceId)) return !traceId.IsEmpty;
        if (text.Length > MaxBase64Length || !TryDecodeBase64(text, out var bytes)) return false;
        traceId = bytes.Length switch
        {
            TraceId.ByteLength => TraceId.FromBytes(bytes),
            8 => new TraceId(0, System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes)),
            _ => TraceId.Empty,
        };
        return !traceId.IsEmpty;
    }

    private static bool TryParseHex(string text, out TraceId traceId)
    {
        traceId = TraceId.Empty;
        if (text.Length is 0 or > TraceId.HexLength) return false;
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c)) return false;
        }
        var padded = text.PadLeft(TraceId.HexLength, '0');
        return TraceId.TryParse(padded, out traceId);
    }

    private static bool TryDecodeBase64(string text, out byte[] bytes)
    {
        // URL-safe base64 and missing padding are folded into the standard alphabet first.
        var standard = text.Replace('-', '+').Replace('_', '/');
        standard = standard.PadRight(standard.Length + ((4 - (standard.Length % 4)) % 4), '=');
        bytes = new byte[Base64.GetMaxDecodedFromUtf8Length(standard.Length)];
        if (!Convert.TryFromBase64String(standard, bytes, out var written))
        {
            bytes = [];
            return false;
        }
        bytes = bytes[..written];
        return true;
    }
}
