using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace Threadline.Sdk.Propagation;

/// <summary>
/// W3C Trace Context: the <c>traceparent</c> and <c>tracestate</c> headers
/// (https://www.w3.org/TR/trace-context/).
/// </summary>
/// <remarks>
/// <para>Extraction: version <c>00</c> must match the grammar exactly; a higher version is read
/// leniently (its first 55 characters as version 00, followed by the end or a <c>-</c>); version
/// <c>ff</c>, all-zero ids, uppercase hex and any other deviation make the <c>traceparent</c> invalid,
/// and an invalid <c>traceparent</c> means <c>tracestate</c> is not read at all. Only the sampled bit
/// of the flags is kept. Several <c>traceparent</c> values are invalid.</para>
/// <para><c>tracestate</c> values are combined in order and read with the current key grammar
/// (a lowercase letter or digit, then up to 255 of lowercase letters, digits, <c>_ - * / @</c>).
/// A repeated key keeps only its first (left-most, most recent) member. A list that cannot be parsed,
/// that is one with more than 32 members or any malformed member, is discarded as a whole: the spec
/// allows either that or dropping only the bad members, and the W3C suite's strict cases expect the
/// whole list to go. Whitespace and empty members are dropped.</para>
/// <para>Injection always writes version <c>00</c> in lowercase with only the sampled flag, and a
/// <c>tracestate</c> of at most 512 characters (the length every vendor must accept), shortened by
/// the spec's rule when longer: entries over 128 characters go first, then entries from the end.</para>
/// </remarks>
public sealed class TraceContextPropagator : TextMapPropagator
{
    /// <summary>The <c>traceparent</c> header name.</summary>
    public const string TraceParentField = "traceparent";

    /// <summary>The <c>tracestate</c> header name.</summary>
    public const string TraceStateField = "tracestate";

    private static readonly IReadOnlyCollection<string> s_fields = [TraceParentField, TraceStateField];

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> Fields => s_fields;

    internal override PropagationConcerns Concerns => PropagationConcerns.TraceContext;

    /// <inheritdoc/>
    public override void Inject<TCarrier>(in PropagationContext context, TCarrier carrier, CarrierSetter<TCarrier> setter)
    {
        ArgumentNullException.ThrowIfNull(setter);
        if (!context.HasTraceContext) return;
        var span = context.ActivityContext;
        setter(carrier, TraceParentField, context.SourceActivityId ?? TraceParent.Format(span.TraceId, span.SpanId, IsSampled(span.TraceFlags)));
        if (TraceStateList.PrepareForInjection(span.TraceState) is { } traceState)
        {
            setter(carrier, TraceStateField, traceState);
        }
    }

    /// <inheritdoc/>
    public override PropagationContext Extract<TCarrier>(in PropagationContext context, TCarrier carrier, CarrierGetter<TCarrier> getter)
    {
        ArgumentNullException.ThrowIfNull(getter);
        if (!getter(carrier, TraceParentField).TryGetSingle(out var traceParent)) return context;
        if (!TraceParent.TryParse(traceParent, out var traceId, out var spanId, out var flags)) return context;

        var traceState = getter(carrier, TraceStateField).Combined() is { } combined ? TraceStateList.Parse(combined) : null;
        return context with { ActivityContext = new ActivityContext(traceId, spanId, flags, traceState, isRemote: true) };
    }

    internal override void ExtractTraceParent<TCarrier>(TCarrier carrier, CarrierGetter<TCarrier> getter, ref string? traceParent, ref string? traceState)
    {
        if (!getter(carrier, TraceParentField).TryGetSingle(out var value)) return;
        if (!TraceParent.TryNormalize(value, out var normalized)) return;
        traceParent = normalized;
        traceState = getter(carrier, TraceStateField).Combined() is { } combined ? TraceStateList.Parse(combined) : null;
    }

    internal static bool IsSampled(ActivityTraceFlags flags) => (flags & ActivityTraceFlags.Recorded) != 0;
}

/// <summary>Parses and formats the <c>traceparent</c> value.</summary>
internal static class TraceParent
{
    /// <summary>The length of a version 00 value, and of the part of a later version that is read.</summary>
    public const int Length = 55;

    public static bool TryParse(ReadOnlySpan<char> value, out ActivityTraceId traceId, out ActivitySpanId spanId, out ActivityTraceFlags flags)
    {
        traceId = default;
        spanId = default;
        flags = ActivityTraceFlags.None;
        if (!TryLocate(value, out var traceIdText, out var spanIdText, out var sampled, out _)) return false;

        traceId = ActivityTraceId.CreateFromString(traceIdText);
        spanId = ActivitySpanId.CreateFromString(spanIdText);
        flags = sampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None;
        return true;
    }

    /// <summary>
    /// Validates <paramref name="value"/> and returns it as the version 00 value it stands for: the
    /// same instance when it already is one, so a well-formed header costs no allocation.
    /// </summary>
    public static bool TryNormalize(string value, [NotNullWhen(true)] out string? traceParent)
    {
        traceParent = null;
        if (!TryLocate(value, out var traceIdText, out var spanIdText, out var sampled, out var isNormalForm)) return false;
        traceParent = isNormalForm ? value : Format(traceIdText, spanIdText, sampled);
        return true;
    }

    private static bool TryLocate(
        ReadOnlySpan<char> value, out ReadOnlySpan<char> traceId, out ReadOnlySpan<char> spanId, out bool sampled, out bool isNormalForm)
    {
        traceId = default;
        spanId = default;
        sampled = false;
        isNormalForm = false;

        var trimmed = HeaderText.TrimOws(value);
        if (trimmed.Length < Length) return false;

        var version = trimmed[..2];
        if (!HeaderText.IsLowerHex(version) || trimmed[2] != '-' || version is "ff") return false;
        if (version is "00")
        {
            if (trimmed.Length != Length) return false;
        }
        else if (trimmed.Length > Length && trimmed[Length] != '-')
        {
            // A later version may append fields, but only after another dash.
            return false;
        }

        traceId = trimmed.Slice(3, 32);
        spanId = trimmed.Slice(36, 16);
        var flags = trimmed.Slice(53, 2);
        if (trimmed[35] != '-' || trimmed[52] != '-') return false;
        if (!HeaderText.IsLowerHex(traceId) || HeaderText.IsAllZeros(traceId)) return false;
        if (!HeaderText.IsLowerHex(spanId) || HeaderText.IsAllZeros(spanId)) return false;
        if (!HeaderText.IsLowerHex(flags)) return false;

        // Only the sampled bit has a meaning in Level 1; the others must not be passed on.
        sampled = (HeaderText.HexValue(flags[1]) & 1) != 0;
        isNormalForm = trimmed.Length == value.Length && version is "00" && (flags is "00" or "01");
        return true;
    }

    public static string Format(ActivityTraceId traceId, ActivitySpanId spanId, bool sampled) =>
        Format(traceId.ToHexString(), spanId.ToHexString(), sampled);

    private static string Format(ReadOnlySpan<char> traceId, ReadOnlySpan<char> spanId, bool sampled)
    {
        Span<char> buffer = stackalloc char[Length];
        "00-".CopyTo(buffer);
        traceId.CopyTo(buffer[3..]);
        buffer[35] = '-';
        spanId.CopyTo(buffer[36..]);
        buffer[52] = '-';
        buffer[53] = '0';
        buffer[54] = sampled ? '1' : '0';
        return new string(buffer);
    }
}
