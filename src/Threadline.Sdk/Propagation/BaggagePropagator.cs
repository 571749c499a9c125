using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Threadline.Sdk.Propagation;

/// <summary>
/// W3C Baggage: the <c>baggage</c> header (https://www.w3.org/TR/baggage/).
/// </summary>
/// <remarks>
/// <para>Keys are RFC 7230 tokens; values are percent-decoded UTF-8 on the way in and
/// percent-encoded on the way out (a space becomes <c>%20</c>, and <c>+</c> stays a plus sign);
/// properties after a value (<c>;key=value</c> or <c>;key</c>) are kept as received, with whitespace
/// removed. Several <c>baggage</c> headers are combined in order.</para>
/// <para>A malformed member is skipped and the valid members around it are kept. Limits, applied
/// to whole members only: at most 180 members, 4096 bytes per member and 8192 bytes per header.
/// Members past a limit are dropped on extraction and not sent on injection.</para>
/// </remarks>
public sealed class BaggagePropagator : TextMapPropagator
{
    /// <summary>The <c>baggage</c> header name.</summary>
    public const string BaggageField = "baggage";

    private static readonly IReadOnlyCollection<string> s_fields = [BaggageField];

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> Fields => s_fields;

    internal override PropagationConcerns Concerns => PropagationConcerns.Baggage;

    /// <inheritdoc/>
    public override void Inject<TCarrier>(in PropagationContext context, TCarrier carrier, CarrierSetter<TCarrier> setter)
    {
        ArgumentNullException.ThrowIfNull(setter);
        if (context.Baggage.IsEmpty) return;
        if (BaggageHeader.Format(context.Baggage) is { } header) setter(carrier, BaggageField, header);
    }

    /// <inheritdoc/>
    public override PropagationContext Extract<TCarrier>(in PropagationContext context, TCarrier carrier, CarrierGetter<TCarrier> getter)
    {
        ArgumentNullException.ThrowIfNull(getter);
        if (getter(carrier, BaggageField).Combined() is not { Length: > 0 } header) return context;
        var baggage = BaggageHeader.Parse(header);
        return baggage.IsEmpty ? context : context with { Baggage = baggage };
    }
}

/// <summary>Parses and formats the <c>baggage</c> header value.</summary>
internal static class BaggageHeader
{
    public const int MaxMembers = 180;
    public const int MaxMemberLength = 4096;
    public const int MaxHeaderLength = 8192;

    // tchar from RFC 7230 section 3.2.6.
    private static readonly SearchValues<char> s_tokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    // baggage-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E: printable ASCII except
    // space, DQUOTE, comma, semicolon and backslash.
    private static readonly SearchValues<char> s_valueChars = SearchValues.Create(
        "!#$%&'()*+-./0123456789:<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    // What may be sent unescaped in a value: the octets above except '%', which starts an escape.
    private static readonly SearchValues<char> s_unescapedValueChars = SearchValues.Create(
        "!#$&'()*+-./0123456789:<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    public static bool IsToken(ReadOnlySpan<char> text) => !text.IsEmpty && !text.ContainsAnyExcept(s_tokenChars);

    public static Baggage Parse(string header)
    {
        ReadOnlySpan<char> text = header;
        List<BaggageEntry>? entries = null;
        var position = 0;
        while (position < text.Length)
        {
            var comma = text[position..].IndexOf(',');
            var end = comma < 0 ? text.Length : position + comma;
            // Only whole members inside the first 8192 bytes are kept.
            if (end > MaxHeaderLength) break;

            var member = text[position..end];
            if (member.Length <= MaxMemberLength && TryParseMember(member, out var entry))
            {
                entries ??= [];
                entries.Add(entry);
                if (entries.Count == MaxMembers) break;
            }
            position = end + 1;
        }
        return entries is null ? Baggage.Empty : Baggage.Wrap(entries.ToArray());
    }

    // list-member = key OWS "=" OWS value *( OWS ";" OWS property )
    private static bool TryParseMember(ReadOnlySpan<char> member, out BaggageEntry entry)
    {
        entry = default;
        member = HeaderText.TrimOws(member);
        var semicolon = member.IndexOf(';');
        var pair = semicolon < 0 ? member : member[..semicolon];
        var equals = pair.IndexOf('=');
        if (equals < 0) return false;

        var key = pair[..equals].TrimEnd(HeaderText.Ows);
        var rawValue = HeaderText.TrimOws(pair[(equals + 1)..]);
        if (!IsToken(key) || rawValue.ContainsAnyExcept(s_valueChars)) return false;
        if (!TryDecodeValue(rawValue, out var value)) return false;

        string? properties = null;
        if (semicolon >= 0 && !TryNormalizeProperties(member[(semicolon + 1)..], out properties)) return false;

        entry = new BaggageEntry(key.ToString(), value, properties);
        return true;
    }

    // property = key OWS "=" OWS value / key OWS
    private static bool TryNormalizeProperties(ReadOnlySpan<char> text, out string? properties)
    {
        properties = null;
        var buffer = text.Length <= 256 ? stackalloc char[256] : new char[text.Length];
        var written = 0;
        while (true)
        {
            var semicolon = text.IndexOf(';');
            var property = HeaderText.TrimOws(semicolon < 0 ? text : text[..semicolon]);
            var equals = property.IndexOf('=');
            var key = equals < 0 ? property : property[..equals].TrimEnd(HeaderText.Ows);
            if (!IsToken(key)) return false;

            if (written > 0) buffer[written++] = ';';
            key.CopyTo(buffer[written..]);
            written += key.Length;
            if (equals >= 0)
            {
                var value = property[(equals + 1)..].TrimStart(HeaderText.Ows);
                if (value.ContainsAnyExcept(s_valueChars)) return false;
                buffer[written++] = '=';
                value.CopyTo(buffer[written..]);
                written += value.Length;
            }

            if (semicolon < 0) break;
            text = text[(semicolon + 1)..];
        }
        properties = new string(buffer[..written]);
        return true;
    }

    private static bool TryDecodeValue(ReadOnlySpan<char> raw, out string value)
    {
        value = string.Empty;
        if (raw.IndexOf('%') < 0)
        {
            value = raw.ToString();
            return true;
        }

        // Escapes decode to bytes which together must be valid UTF-8.
        var bytes = raw.Length <= 256 ? stackalloc byte[256] : new byte[raw.Length];
        var count = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != '%')
            {
                bytes[count++] = (byte)raw[i];
                continue;
            }
            if (i + 2 >= raw.Length) return false;
            var high = HeaderText.HexValue(raw[i + 1]);
            var low = HeaderText.HexValue(raw[i + 2]);
            if (high < 0 || low < 0) return false;
            bytes[count++] = (byte)((high << 4) | low);
            i += 2;
        }

        var chars = count <= 256 ? stackalloc char[256] : new char[count];
        if (Utf8.ToUtf16(bytes[..count], chars, out _, out var written, replaceInvalidSequences: false) != OperationStatus.Done) return false;
        value = new string(chars[..written]);
        return true;
    }

    /// <summary>The header for <paramref name="baggage"/>, or null when no member can be sent.</summary>
    public static string? Format(Baggage baggage)
    {
        var buffer = ArrayPool<char>.Shared.Rent(MaxHeaderLength);
        try
        {
            var length = 0;
            var members = 0;
            foreach (var entry in baggage)
            {
                if (members == MaxMembers) break;
                if (!IsToken(entry.Key))
                {
                    PropagationEventSource.Log.BaggageKeyNotSent(entry.Key);
                    continue;
                }

                // Each member is written in place and rolled back when it does not fit, so no
                // member is ever sent in part.
                var start = length;
                var separator = members > 0 ? 1 : 0;
                var room = Math.Min(MaxMemberLength, MaxHeaderLength - start - separator);
                if (room <= 0) break;
                var destination = buffer.AsSpan(start + separator, room);
                if (!TryWriteMember(entry, destination, out var written)) continue;
                if (separator == 1) buffer[start] = ',';
                length = start + separator + written;
                members++;
            }
            return length == 0 ? null : new string(buffer, 0, length);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static bool TryWriteMember(BaggageEntry entry, Span<char> destination, out int written)
    {
        written = 0;
        if (!TryAppend(entry.Key, destination, ref written) || !TryAppend("=", destination, ref written)) return false;
        if (!TryWriteValue(entry.Value ?? string.Empty, destination, ref written)) return false;
        if (entry.Properties is { Length: > 0 } properties && TryNormalizeProperties(properties, out var normalized))
        {
            var beforeProperties = written;
            if (!TryAppend(";", destination, ref written) || !TryAppend(normalized, destination, ref written))
            {
                // Properties are extra information: send the member without them rather than not at all.
                written = beforeProperties;
            }
        }
        return true;
    }

    private static bool TryWriteValue(string value, Span<char> destination, ref int written)
    {
        if (!value.AsSpan().ContainsAnyExcept(s_unescapedValueChars)) return TryAppend(value, destination, ref written);

        Span<byte> utf8 = stackalloc byte[4];
        var rune = 0;
        while (rune < value.Length)
        {
            if (Rune.DecodeFromUtf16(value.AsSpan(rune), out var scalar, out var consumed) != OperationStatus.Done)
            {
                scalar = Rune.ReplacementChar;
            }
            rune += consumed;

            if (scalar.IsAscii && s_unescapedValueChars.Contains((char)scalar.Value))
            {
                if (written == destination.Length) return false;
                destination[written++] = (char)scalar.Value;
                continue;
            }

            var byteCount = scalar.EncodeToUtf8(utf8);
            if (written + (3 * byteCount) > destination.Length) return false;
            for (var i = 0; i < byteCount; i++)
            {
                destination[written++] = '%';
                destination[written++] = "0123456789ABCDEF"[utf8[i] >> 4];
                destination[written++] = "0123456789ABCDEF"[utf8[i] & 0xF];
            }
        }
        return true;
    }

    private static bool TryAppend(ReadOnlySpan<char> text, Span<char> destination, ref int written)
    {
        if (!text.TryCopyTo(destination[written..])) return false;
        written += text.Length;
        return true;
    }
}
