using System.Globalization;
using Threadline.Core.Model;

namespace Threadline.Protocol.Tempo;

/// <summary>Trace ids as Tempo writes and reads them in its APIs.</summary>
public static class TempoTraceIds
{
    /// <summary>Lower-case hex with leading zeros stripped, as Tempo's search results carry it (a 64-bit id becomes 16 digits or fewer).</summary>
    public static string Format(TraceId traceId)
    {
        return traceId.ToString().TrimStart('0');
    }

    /// <summary>
    /// Reads an id in any form Tempo accepts: 1 to 32 hex digits of either case, leading zeros
    /// optional (a shorter id is padded on the left, so a 64-bit id matches its 128-bit form).
    /// </summary>
    /// <param name="text">The id as given.</param>
    /// <param name="traceId">The id; empty when the text is not one.</param>
    /// <param name="error">Why the text is not an id, naming the offending character's position; null on success.</param>
    public static bool TryParse(string text, out TraceId traceId, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        traceId = TraceId.Empty;
        error = null;
        if (text.Length == 0)
        {
            error = "the trace ID is empty; give 1 to 32 hex digits";
            return false;
        }
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsAsciiHexDigit(text[i]))
            {
                error = string.Create(CultureInfo.InvariantCulture, $"trace IDs can only contain hex characters: invalid character '{Printable(text[i])}' at position {i + 1}");
                return false;
            }
        }
        if (text.Length > TraceId.HexLength)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"trace IDs can't be larger than 128 bits (got {text.Length} hex digits)");
            return false;
        }
        traceId = TraceId.Parse(text.PadLeft(TraceId.HexLength, '0'));
        return true;
    }

    private static string Printable(char c) => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString();
}
