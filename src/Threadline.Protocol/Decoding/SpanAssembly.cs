using Threadline.Core.Model;

namespace Threadline.Protocol.Decoding;

/// <summary>
/// The fields of one span as a decoder reads them, before its ids are checked. Its attributes,
/// events and links sit on the <see cref="DecodeScratch"/> stacks above the marks that
/// <see cref="SpanAssembly.Begin"/> took.
/// </summary>
internal struct SpanDraft
{
    public ReceivedId TraceId;
    public ReceivedId SpanId;
    public ReceivedId ParentSpanId;
    public string TraceState;
    public uint Flags;
    public string Name;
    public SpanKind Kind;
    public ulong StartTimeUnixNano;
    public ulong EndTimeUnixNano;
    public uint DroppedAttributesCount;
    public uint DroppedEventsCount;
    public uint DroppedLinksCount;

    /// <summary>Links dropped because of an unusable id; they count as dropped links.</summary>
    public uint InvalidLinks;

    public StatusCode StatusCode;
    public string StatusMessage;

    internal int AttributesStart;
    internal int EventsStart;
    internal int LinksStart;
}

/// <summary>
/// The end of decoding a span that all three decoders share: checking its ids, and then either
/// building the <see cref="Span"/> from the scratch stacks or rejecting it (popping what it
/// pushed and counting it for the partial-success message). One per decode call.
/// </summary>
internal struct SpanAssembly
{
    private readonly DecodeScratch _scratch;
    private readonly SpanIdRules _ids;
    private RejectionLog? _rejections;

    public SpanAssembly(DecodeScratch scratch, SpanIdRules ids)
    {
        _scratch = scratch;
        _ids = ids;
    }

    /// <summary>A draft whose attributes, events and links are the ones pushed from now on.</summary>
    public readonly SpanDraft Begin() => new()
    {
        TraceState = string.Empty,
        Name = string.Empty,
        StatusMessage = string.Empty,
        AttributesStart = _scratch.KeyValues.Count,
        EventsStart = _scratch.Events.Count,
        LinksStart = _scratch.Links.Count,
    };

    /// <summary>Why the draft's ids make it unusable, or null.</summary>
    public readonly string? IdProblem(in SpanDraft span) => _ids.Problem(span);

    /// <summary>Whether a link with these ids is kept (otherwise the caller drops it and counts it in <see cref="SpanDraft.InvalidLinks"/>).</summary>
    public readonly bool IsUsableLink(in ReceivedId traceId, in ReceivedId spanId) => _ids.IsUsableLink(traceId, spanId);

    /// <summary>Drops the draft and everything it pushed; <paramref name="detail"/> says which span and why.</summary>
    public void Reject(in SpanDraft span, string detail)
    {
        _scratch.KeyValues.Pop(span.AttributesStart);
        _scratch.Events.Pop(span.EventsStart);
        _scratch.Links.Pop(span.LinksStart);
        (_rejections ??= new RejectionLog()).Add(detail);
    }

    /// <summary>Builds the span (its ids already checked) and adds it to the result.</summary>
    public readonly void Add(in SpanDraft span, Resource resource, InstrumentationScope scope) =>
        _scratch.Spans.Add(new Span
        {
            TraceId = new TraceId(span.TraceId.High, span.TraceId.Low),
            SpanId = new SpanId(span.SpanId.Low),
            ParentSpanId = new SpanId(span.ParentSpanId.Low),
            TraceState = span.TraceState,
            Flags = span.Flags,
            Name = span.Name,
            Kind = span.Kind,
            StartTimeUnixNano = span.StartTimeUnixNano,
            EndTimeUnixNano = span.EndTimeUnixNano,
            Attributes = _scratch.KeyValues.PopToArray(span.AttributesStart),
            DroppedAttributesCount = span.DroppedAttributesCount,
            Events = _scratch.Events.PopToArray(span.EventsStart),
            DroppedEventsCount = span.DroppedEventsCount,
            Links = _scratch.Links.PopToArray(span.LinksStart),
            DroppedLinksCount = (uint)Math.Min((ulong)span.DroppedLinksCount + span.InvalidLinks, uint.MaxValue),
            Status = span.StatusCode == StatusCode.Unset && span.StatusMessage.Length == 0 ? SpanStatus.Unset : new SpanStatus(span.StatusCode, span.StatusMessage),
            Resource = resource,
            Scope = scope,
        });

    /// <summary>The decoded spans, with the rejection summary only when some span was rejected.</summary>
    public readonly DecodedSpans Result()
    {
        var spans = _scratch.Spans.PopToArray(0);
        return _rejections is null ? new DecodedSpans(spans, 0, null) : new DecodedSpans(spans, _rejections.Count, _rejections.BuildMessage());
    }
}
