using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;

namespace Threadline.Protocol.Decoding;

/// <summary>
/// Lenient readers for JSON scalars as the protobuf JSON mapping writes them: 64-bit integers may
/// come as numbers or decimal strings, doubles as numbers or as "NaN" / "Infinity" / "-Infinity".
/// Each returns false when the token does not hold such a value; callers report where.
/// </summary>
internal static class JsonScalars
{
    public static bool TryReadUInt64(ref Utf8JsonReader reader, out ulong value)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return reader.TryGetUInt64(out value);
            case JsonTokenType.String when !reader.ValueIsEscaped:
                return Utf8Parser.TryParse(reader.ValueSpan, out value, out var consumed) && consumed == reader.ValueSpan.Length && reader.ValueSpan.Length > 0;
            case JsonTokenType.String when TryUnescape(ref reader, out var text):
                return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
            default:
                value = 0;
                return false;
        }
    }

    public static bool TryReadInt64(ref Utf8JsonReader reader, out long value)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return reader.TryGetInt64(out value);
            case JsonTokenType.String when !reader.ValueIsEscaped:
                return Utf8Parser.TryParse(reader.ValueSpan, out value, out var consumed) && consumed == reader.ValueSpan.Length && reader.ValueSpan.Length > 0;
            case JsonTokenType.String when TryUnescape(ref reader, out var text):
                return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
            default:
                value = 0;
                return false;
        }
    }

    public static bool TryReadUInt32(ref Utf8JsonReader reader, out uint value)
    {
        if (TryReadUInt64(ref reader, out var wide) && wide <= uint.MaxValue)
        {
            value = (uint)wide;
            return true;
        }
        value = 0;
        return false;
    }

    public static bool TryReadDouble(ref Utf8JsonReader reader, out double value)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return reader.TryGetDouble(out value);
            case JsonTokenType.String:
                string? text = null;
                if (reader.ValueIsEscaped && !TryUnescape(ref reader, out text))
                {
                    value = 0;
                    return false;
                }
                ReadOnlySpan<byte> utf8 = text is null ? reader.ValueSpan : System.Text.Encoding.UTF8.GetBytes(text);
                if (utf8.SequenceEqual("NaN"u8)) value = double.NaN;
                else if (utf8.SequenceEqual("Infinity"u8)) value = double.PositiveInfinity;
                else if (utf8.SequenceEqual("-Infinity"u8)) value = double.NegativeInfinity;
                else return double.TryParse(utf8, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
                return true;
            default:
                value = 0;
                return false;
        }
    }

    /// <summary>A human-readable name of a token for error messages.</summary>
    public static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    /// <summary>
    /// Moves to the next property of the current object and onto its value, passing over
    /// properties whose value is null (proto3 JSON's "not set"). The caller reports
    /// <see cref="JsonStep.EndOfData"/> and <see cref="JsonStep.InvalidName"/> with its own location.
    /// </summary>
    /// <remarks>
    /// An unescaped name is handed back as its raw bytes, unchecked: callers only compare it with
    /// known names, or decode it with <see cref="Utf8StringCache"/>, which validates.
    /// </remarks>
    public static JsonStep NextProperty(scoped ref Utf8JsonReader reader, out ReadOnlySpan<byte> name)
    {
        while (true)
        {
            name = default;
            if (!reader.Read()) return JsonStep.EndOfData;
            if (reader.TokenType != JsonTokenType.PropertyName) return JsonStep.EndOfObject;
            if (!reader.ValueIsEscaped) name = reader.ValueSpan;
            else if (TryUnescape(ref reader, out var unescaped)) name = System.Text.Encoding.UTF8.GetBytes(unescaped);
            else return JsonStep.InvalidName;
            if (!reader.Read()) return JsonStep.EndOfData;
            if (reader.TokenType != JsonTokenType.Null) return JsonStep.Property;
        }
    }

    /// <summary>
    /// Reads the string the reader is on; unescaped strings go through <paramref name="strings"/>
    /// so repeated values share one instance. The caller reports a problem with its own location.
    /// </summary>
    public static JsonStringResult TryReadString(ref Utf8JsonReader reader, Utf8StringCache strings, out string value)
    {
        value = string.Empty;
        if (reader.TokenType != JsonTokenType.String) return JsonStringResult.NotAString;
        if (!reader.ValueIsEscaped)
            return strings.TryGetString(reader.ValueSpan, out value) ? JsonStringResult.Read : JsonStringResult.InvalidUtf8;
        return TryUnescape(ref reader, out value) ? JsonStringResult.Read : JsonStringResult.InvalidEscape;
    }

    /// <summary>
    /// The escaped string or property name the reader is on, as a string; false when it holds
    /// invalid UTF-8 or an escape that is not a valid UTF-16 sequence (a lone surrogate).
    /// </summary>
    /// <remarks>
    /// The reader checks neither while reading; <see cref="Utf8JsonReader.GetString"/> finds them
    /// and throws <see cref="InvalidOperationException"/>, which must never escape a decoder (it
    /// would reach a receiver as a 500). Every decoder reads escaped text through here.
    /// </remarks>
    public static bool TryUnescape(scoped ref Utf8JsonReader reader, out string value)
    {
        try
        {
            value = reader.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            value = string.Empty;
            return false;
        }
    }
}

/// <summary>What <see cref="JsonScalars.NextProperty"/> found.</summary>
internal enum JsonStep
{
    Property,
    EndOfObject,
    EndOfData,

    /// <summary>An escaped property name that is not valid UTF-8 or holds a lone surrogate.</summary>
    InvalidName,
}

/// <summary>What <see cref="JsonScalars.TryReadString"/> found.</summary>
internal enum JsonStringResult
{
    Read,
    NotAString,
    InvalidUtf8,
    InvalidEscape,
}
