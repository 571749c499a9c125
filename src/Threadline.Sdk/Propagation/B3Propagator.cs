using System.Diagnostics;

namespace Threadline.Sdk.Propagation;

/// <summary>How <see cref="B3Propagator"/> writes the context.</summary>
public enum B3Encoding
{
    /// <summary>One <c>b3</c> header: <c>{trace-id}-{span-id}-{sampling}</c>. The default.</summary>
    SingleHeader,

    /// <summary>The <c>X-B3-TraceId</c>, <c>X-B3-SpanId</c>, <c>X-B3-Sampled</c> and <c>X-B3-Flags</c> headers.</summary>
    MultipleHeaders,
}

/// <summary>
/// Zipkin B3 propagation (https://github.com/openzipkin/b3-propagation), following the
/// OpenTelemetry B3 requirements.
/// </summary>
/// <remarks>
/// <para>Extraction reads the single <c>b3</c> header first and falls back to the multiple
/// <c>X-B3-*</c> headers; when both carry ids the single header wins. Trace ids are 16 or 32
/// lowercase hex characters, and a 64-bit id is left-padded with zeros to 128 bits. Debug
/// (<c>d</c>, or <c>X-B3-Flags: 1</c>) implies sampled. An absent sampling state (defer) extracts as
/// not sampled. A <c>b3</c> header that carries only a sampling state (<c>0</c>, <c>1</c> or
/// <c>d</c>) is recognised but yields no span context, because an Activity cannot hold a sampling
/// decision without ids. A parent span id must be well-formed in the single header and is otherwise
/// ignored.</para>
/// <para>Injection never sends a parent span id (OpenTelemetry does not share span ids between
/// client and server) and always sends a sampling state; for a debug context it sends <c>d</c>
/// (single) or <c>X-B3-Flags: 1</c> without <c>X-B3-Sampled</c> (multiple). The debug flag survives
/// only when the context goes through <see cref="PropagationContext"/>, as with
/// <see cref="TextMapPropagators.Extract{TCarrier}"/>; an <see cref="Activity"/> has no place for it,
/// so across HttpClient and ASP.NET Core it continues as plain sampled.</para>
/// </remarks>
public sealed class B3Propagator : TextMapPropagator
{
    /// <summary>The single-header name.</summary>
    public const string SingleHeaderField = "b3";

    /// <summary>The multiple-header trace id name.</summary>
    public const string TraceIdField = "X-B3-TraceId";

    /// <summary>The multiple-header span id name.</summary>
    public const string SpanIdField = "X-B3-SpanId";

    /// <summary>The multiple-header parent span id name (read, never written).</summary>
    public const string ParentSpanIdField = "X-B3-ParentSpanId";

    /// <summary>The multiple-header sampling decision name.</summary>
    public const string SampledField = "X-B3-Sampled";

    /// <summary>The multiple-header debug flag name.</summary>
    public const string FlagsField = "X-B3-Flags";

    private const int SpanIdLength = 16;
    private const int TraceIdLength = 32;

    private static readonly IReadOnlyCollection<string> s_singleFields = [SingleHeaderField];
    private static readonly IReadOnlyCollection<string> s_multipleFields = [TraceIdField, SpanIdField, SampledField, FlagsField];

    /// <summary>Creates a B3 propagator that injects with <paramref name="injectEncoding"/>.</summary>
    public B3Propagator(B3Encoding injectEncoding = B3Encoding.SingleHeader)
    {
        if (!Enum.IsDefined(injectEncoding))
        {
            throw new ArgumentOutOfRangeException(nameof(injectEncoding), injectEncoding, "Use B3Encoding.SingleHeader or B3Encoding.MultipleHeaders.");
        }
        InjectEncoding = injectEncoding;
    }

    /// <summary>The encoding used by <see cref="Inject{TCarrier}"/>; extraction always accepts both.</summary>
    public B3Encoding InjectEncoding { get; }

    /// <summary>The headers this propagator injects, which depend on <see cref="InjectEncoding"/>.</summary>
    public override IReadOnlyCollection<string> Fields => InjectEncoding == B3Encoding.SingleHeader ? s_singleFields : s_multipleFields;

    internal override PropagationConcerns Concerns => PropagationConcerns.TraceContext;

    /// <inheritdoc/>
    public override void Inject<TCarrier>(in PropagationContext context, TCarrier carrier, CarrierSetter<TCarrier> setter)
    {
        ArgumentNullException.ThrowIfNull(setter);
        if (!context.HasTraceContext) return;
        var span = context.ActivityContext;
        var sampled = TraceContextPropagator.IsSampled(span.TraceFlags);

        if (InjectEncoding == B3Encoding.SingleHeader)
        {
            var sampling = context.IsDebug ? 'd' : sampled ? '1' : '0';
            setter(carrier, SingleHeaderField, FormatSingle(span.TraceId, span.SpanId, sampling));
            return;
        }

        setter(carrier, TraceIdField, span.TraceId.ToHexString());
        setter(carrier, SpanIdField, span.SpanId.ToHexString());
        if (context.IsDebug)
        {
            // Debug implies accept; the spec asks not to send X-B3-Sampled with it.
            setter(carrier, FlagsField, "1");
        }
        else
        {
            setter(carrier, SampledField, sampled ? "1" : "0");
        }
    }

    /// <inheritdoc/>
    public override PropagationContext Extract<TCarrier>(in PropagationContext context, TCarrier carrier, CarrierGetter<TCarrier> getter)
    {
        ArgumentNullException.ThrowIfNull(getter);
        return TryExtract(carrier, getter, out var found, out var debug) ? WithSpan(context, found, debug) : context;
    }

    internal override void ExtractTraceParent<TCarrier>(TCarrier carrier, CarrierGetter<TCarrier> getter, ref string? traceParent, ref string? traceState)
    {
        if (!TryExtract(carrier, getter, out var found, out _)) return;
        var traceId = found.TraceId.ToHexString();
        // As in Extract: a tracestate found earlier stays only when it belongs to the same trace.
        if (traceParent is null || !traceParent.AsSpan(3, traceId.Length).SequenceEqual(traceId)) traceState = null;
        traceParent = TraceParent.Format(found.TraceId, found.SpanId, TraceContextPropagator.IsSampled(found.TraceFlags));
    }

    private static bool TryExtract<TCarrier>(TCarrier carrier, CarrierGetter<TCarrier> getter, out ActivityContext found, out bool debug)
    {
        if (getter(carrier, SingleHeaderField).First is { } single && TryParseSingle(single, out found, out debug)) return true;
        return TryParseMultiple(carrier, getter, out found, out debug);
    }

    private static PropagationContext WithSpan(in PropagationContext context, ActivityContext found, bool debug)
    {
        // B3 has no tracestate. Keep one extracted earlier (say by a W3C propagator that ran first)
        // when it belongs to the same trace, since both headers then describe the same caller.
        var traceState = context.ActivityContext.TraceId == found.TraceId ? context.ActivityContext.TraceState : null;
        return context with
        {
            ActivityContext = new ActivityContext(found.TraceId, found.SpanId, found.TraceFlags, traceState, isRemote: true),
            IsDebug = debug,
        };
    }

    // b3 = {TraceId}-{SpanId}[-{SamplingState}[-{ParentSpanId}]] / {SamplingState}
    private static bool TryParseSingle(ReadOnlySpan<char> value, out ActivityContext context, out bool debug)
    {
        context = default;
        debug = false;
        value = HeaderText.TrimOws(value);

        var dash = value.IndexOf('-');
        // A lone sampling state is valid B3 but names no span.
        if (dash < 0) return false;
        if (!TryParseTraceId(value[..dash], out var traceId)) return false;

        var rest = value[(dash + 1)..];
        dash = rest.IndexOf('-');
        var spanIdText = dash < 0 ? rest : rest[..dash];
        if (!TryParseSpanId(spanIdText, out var spanId)) return false;

        var sampled = false;
        if (dash >= 0)
        {
            rest = rest[(dash + 1)..];
            dash = rest.IndexOf('-');
            var sampling = dash < 0 ? rest : rest[..dash];
            switch (sampling)
            {
                case "1": sampled = true; break;
                case "0": break;
                case "d": sampled = debug = true; break;
                default: return false;
            }
            if (dash >= 0 && !TryParseSpanId(rest[(dash + 1)..], out _)) return false;
        }

        context = new ActivityContext(traceId, spanId, sampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None, isRemote: true);
        return true;
    }

    private static bool TryParseMultiple<TCarrier>(TCarrier carrier, CarrierGetter<TCarrier> getter, out ActivityContext context, out bool debug)
    {
        context = default;
        debug = false;
        // When a field repeats, B3 takes the first value.
        if (getter(carrier, TraceIdField).First is not { } traceIdText || !TryParseTraceId(HeaderText.TrimOws(traceIdText), out var traceId)) return false;
        if (getter(carrier, SpanIdField).First is not { } spanIdText || !TryParseSpanId(HeaderText.TrimOws(spanIdText), out var spanId)) return false;

        debug = getter(carrier, FlagsField).First is { } flags && HeaderText.TrimOws(flags) is "1";
        var sampled = debug;
        if (!sampled && getter(carrier, SampledField).First is { } sampledText)
        {
            // "true" predates the spec; the spec allows accepting it.
            sampled = HeaderText.TrimOws(sampledText) is "1" or "true";
        }

        context = new ActivityContext(traceId, spanId, sampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None, isRemote: true);
        return true;
    }

    private static bool TryParseTraceId(ReadOnlySpan<char> text, out ActivityTraceId traceId)
    {
        traceId = default;
        if (text.Length is not (SpanIdLength or TraceIdLength) || !HeaderText.IsLowerHex(text) || HeaderText.IsAllZeros(text)) return false;
        if (text.Length == TraceIdLength)
        {
            traceId = ActivityTraceId.CreateFromString(text);
            return true;
        }

        // A 64-bit trace id is the low half of a 128-bit one.
        Span<char> padded = stackalloc char[TraceIdLength];
        padded[..SpanIdLength].Fill('0');
        text.CopyTo(padded[SpanIdLength..]);
        traceId = ActivityTraceId.CreateFromString(padded);
        return true;
    }

    private static bool TryParseSpanId(ReadOnlySpan<char> text, out ActivitySpanId spanId)
    {
        spanId = default;
        if (text.Length != SpanIdLength || !HeaderText.IsLowerHex(text) || HeaderText.IsAllZeros(text)) return false;
        spanId = ActivitySpanId.CreateFromString(text);
        return true;
    }

    private static string FormatSingle(ActivityTraceId traceId, ActivitySpanId spanId, char sampling) =>
        string.Create(TraceIdLength + 1 + SpanIdLength + 2, (traceId, spanId, sampling), static (destination, state) =>
        {
            state.traceId.ToHexString().CopyTo(destination);
            destination[TraceIdLength] = '-';
            state.spanId.ToHexString().CopyTo(destination[(TraceIdLength + 1)..]);
            destination[^2] = '-';
            destination[^1] = state.sampling;
        });
}
