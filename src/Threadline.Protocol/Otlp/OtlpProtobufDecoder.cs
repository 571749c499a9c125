using System.Runtime.CompilerServices;
using Threadline.Core.Model;
using Threadline.Protocol.Decoding;
using static Threadline.Protobuf.OtlpFieldKeys;

namespace Threadline.Protocol.Otlp;

/// <summary>Decodes an OTLP ExportTraceServiceRequest (binary protobuf) into Core spans.</summary>
/// <remarks>
/// Hand-written for the ingest hot path: it reads the wire format straight into Core objects with
/// no intermediate generated messages, reuses attributes whose bytes repeat (see
/// <see cref="Decoding.KeyValueCache"/>), interns repeated keys and short values, and
/// shares one <see cref="Resource"/> and one <see cref="InstrumentationScope"/> per ResourceSpans
/// and ScopeSpans. Unknown fields of every wire type are skipped, as protobuf requires.
/// </remarks>
public static class OtlpProtobufDecoder
{
    /// <summary>Throws <see cref="ProtocolException"/> for malformed input; spans with invalid ids are counted in RejectedSpans.</summary>
    /// <remarks>
    /// A span is rejected (and the others kept) when its trace_id is not 16 bytes or is all zeros,
    /// its span_id is not 8 bytes or is all zeros, or its parent_span_id is neither empty nor
    /// 8 bytes; 8 zero bytes as parent_span_id mean a root span. A link with such an id is
    /// dropped and counted in the span's DroppedLinksCount rather than costing the whole span:
    /// the span itself is sound, and dropped counts are how OTLP says "some of this is missing".
    /// Out-of-range enum values (kind, status code) decode as Unspecified / Unset.
    /// </remarks>
    public static DecodedSpans DecodeExportRequest(ReadOnlySpan<byte> body, DecodeLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (body.IsEmpty) return DecodedSpans.None;
        var scratch = DecodeScratch.Rent();
        try
        {
            var parser = new Parser(body, limits.MaxValueDepth, scratch);
            return parser.ParseExportRequest();
        }
        finally
        {
            DecodeScratch.Return(scratch);
        }
    }

    /// <summary>One decode call: the reader plus where it is in the request, for rejection messages.</summary>
    private ref struct Parser
    {

        private static readonly SpanIdRules Ids = new(
            new IdRule("trace_id", "bytes", TraceId.ByteLength, "16", Required: true),
            new IdRule("span_id", "bytes", SpanId.ByteLength, "8", Required: true),
            new IdRule("parent_span_id", "bytes", SpanId.ByteLength, "8, or none for a root span", Required: false));

        private ProtobufReader _reader;
        private readonly int _maxDepth;
        private readonly DecodeScratch _scratch;
        private SpanAssembly _spans;
        private int _resourceIndex;
        private int _scopeIndex;
        private int _spanIndex;

        public Parser(ReadOnlySpan<byte> body, int maxDepth, DecodeScratch scratch)
        {
            _reader = new ProtobufReader(body);
            _maxDepth = maxDepth;
            _scratch = scratch;
            _spans = new SpanAssembly(scratch, Ids);
        }

        /// <summary>Bit n set for each field number n that a message declares.</summary>
        private static uint Fields(int first, int last) => ((1u << (last + 1)) - 1) & ~((1u << first) - 1);

        public DecodedSpans ParseExportRequest()
        {
            while (_reader.HasMore)
            {
                var tag = _reader.ReadTag();
                if (tag == Request_ResourceSpans)
                {
                    var outer = _reader.PushLimit();
                    ParseResourceSpans();
                    _reader.PopLimit(outer);
                    _resourceIndex++;
                }
                else
                {
                    _reader.SkipUnknownField(tag, Fields(1, 1), "ExportTraceServiceRequest");
                }
            }
            return _spans.Result();
        }

        private void ParseResourceSpans()
        {
            // Spans need their Resource when they are built, but protobuf allows the resource field
            // after the scope_spans, so a first pass picks up the resource and schema_url only.
            var start = _reader.Position;
            var attributesStart = _scratch.KeyValues.Count;
            uint dropped = 0;
            var schemaUrl = string.Empty;
            while (_reader.HasMore)
            {
                var tag = _reader.ReadTag();
                switch (tag)
                {
                    case ResourceSpans_Resource:
                        var outer = _reader.PushLimit();
                        ParseResource(ref dropped);
                        _reader.PopLimit(outer);
                        break;
                    case ResourceSpans_ScopeSpans:
                        _reader.ReadLengthDelimited();
                        break;
                    case ResourceSpans_SchemaUrl:
                        schemaUrl = ReadString("ResourceSpans.schema_url");
                        break;
                    default:
                        _reader.SkipUnknownField(tag, Fields(1, 3), "ResourceSpans");
                        break;
                }
            }
            var attributes = _scratch.KeyValues.PopToArray(attributesStart);
            var resource = attributes.Length == 0 && dropped == 0 && schemaUrl.Length == 0
                ? Resource.Empty
                : new Resource(attributes, dropped, schemaUrl);

            _reader.Rewind(start);
            _scopeIndex = 0;
            while (_reader.HasMore)
            {
                var tag = _reader.ReadTag();
                if (tag == ResourceSpans_ScopeSpans)
                {
                    var outer = _reader.PushLimit();
                    ParseScopeSpans(resource);
                    _reader.PopLimit(outer);
                    _scopeIndex++;
                }
                else
                {
                    _reader.SkipField(tag, 0);
                }
            }
        }

        private void ParseResource(ref uint dropped)
        {
            while (_reader.HasMore)
            {
                var tag = _reader.ReadTag();
                switch (tag)
                {
                    case Resource_Attributes:
                        ParseKeyValueField();
                        break;
                    case Resource_DroppedAttributesCount:
                        dropped = _reader.ReadUInt32();
                        break;
                    default:
                        _reader.SkipUnknownField(tag, Fields(1, 2), "Resource");
                        break;
                }
            }
        }

        private void ParseScopeSpans(Resource resource)
        {
            // Same two passes as ResourceSpans: the scope must exist before its spans are built.
            var start = _reader.Position;
            var attributesStart = _scratch.KeyValues.Count;
            string name = string.Empty, version = string.Empty, schemaUrl = string.Empty;
            uint dropped = 0;
            while (_reader.HasMore)
            {
                var tag = _reader.ReadTag();
                switch (tag)
                {
                    case ScopeSpans_Scope:
                        var outer = _reader.PushLimit();
                        ParseScope(ref name, ref version, ref dropped);
                        _reader.PopLimit(outer);
                        break;
                    case ScopeSpans_Spans:
                        _reader.ReadLengthDelimited();
                        break;
                    case ScopeSpans_SchemaUrl:
                        schemaUrl = ReadString("ScopeSpans.schema_url");
                        break;
                    default:
                        _reader.SkipUnknownField(tag, Fields(1, 3), "ScopeSpans");
                        break;
                }
            }
            var attributes = _scratch.KeyValues.PopToArray(attributesStart);
            var scope = name.Length == 0 && version.Length == 0 && attributes.Length == 0 && dropped == 0 && schemaUrl.Length == 0
                ? InstrumentationScope.Empty
                : new InstrumentationScope(name, version, attributes, dropped, schemaUrl);

            _reader.Rewind(start);
            _spanIndex = 0;
            while (_reader.HasMore)
            {
                var tag = _reader.ReadTag();
                if (tag == ScopeSpans_Spans)
                {
                    var outer = _reader.PushLimit();
                    ParseSpan(resource, scope);
                    _reader.PopLimit(outer);
                    _spanIndex++;
                }
                else
                {
                    _reader.SkipField(tag, 0);
                }
            }
        }

        private void ParseScope(ref string name, ref string version, ref uint dropped)
        {
            while (_reader.HasMore)
            {
                var tag = _reader.ReadTag();
                switch (tag)
                {
                    case Scope_Name:
                        name = ReadString("InstrumentationScope.name");
                        break;
                    case Scope_Version:
                        version = ReadString("InstrumentationScope.version");
                        break;
                    case Scope_Attributes:
                        ParseKeyValueField();
                        break;
                    case Scope_DroppedAttributesCount:
                        dropped = _reader.ReadUInt32();
                        break;
                    default:
                        _reader.SkipUnknownField(tag, Fields(1, 4), "InstrumentationScope");
                        break;
                }
            }
        }

        private void ParseSpan(Resource resource, InstrumentationScope scope)
        {
            var span = _spans.Begin();
            while (_reader.HasMore)
            {
                var tag = _reader.ReadTag();
                switch (tag)
                {
                    case Span_TraceId:
                        span.TraceId = ReceivedId.FromBytes(_reader.ReadLengthDelimited());
                        break;
                    case Span_SpanId:
                        span.SpanId = ReceivedId.FromBytes(_reader.ReadLengthDelimited());
                        break;
                    case Span_TraceState:
                        span.TraceState = ReadString("Span.trace_state");
                        break;
                    case Span_ParentSpanId:
                        span.ParentSpanId = ReceivedId.FromBytes(_reader.ReadLengthDelimited());
                        break;
                    case Span_Name:
                        span.Name = ReadString("Span.name");
                        break;
                    case Span_Kind:
                        var kindValue = _reader.ReadVarint64();
                        span.Kind = kindValue <= (ulong)SpanKind.Consumer ? (SpanKind)kindValue : SpanKind.Unspecified;
                        break;
                    case Span_StartTimeUnixNano:
                        span.StartTimeUnixNano = _reader.ReadFixed64();
                        break;
                    case Span_EndTimeUnixNano:
                        span.EndTimeUnixNano = _reader.ReadFixed64();
                        break;
                    case Span_Attributes:
                        ParseKeyValueField();
                        break;
                    case Span_DroppedAttributesCount:
                        span.DroppedAttributesCount = _reader.ReadUInt32();
                        break;
                    case Span_Events:
                        var outerEvent = _reader.PushLimit();
                        ParseEvent();
                        _reader.PopLimit(outerEvent);
                        break;
                    case Span_DroppedEventsCount:
                        span.DroppedEventsCount = _reader.ReadUInt32();
                        break;
                    case Span_Links:
                        var outerLink = _reader.PushLimit();
                        if (!ParseLink()) span.InvalidLinks++;
                        _reader.PopLimit(outerLink);
                        break;
                    case Span_DroppedLinksCount:
                        span.DroppedLinksCount = _reader.ReadUInt32();
                        break;
                    case Span_Status:
                        var outerStatus = _reader.PushLimit();
                        ParseStatus(ref span.StatusCode, ref span.StatusMessage);
                        _reader.PopLimit(outerStatus);
                        break;
                    case Span_Flags:
                        span.Flags = _reader.ReadFixed32();
                        break;
                    default:
                        _reader.SkipUnknownField(tag, Fields(1, 16), "Span");
                        break;
                }
            }

            if (_spans.IdProblem(span) is { } problem) Reject(span, scope, problem);
            else _spans.Add(span, resource, scope);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private void Reject(in SpanDraft span, InstrumentationScope scope, string problem) =>
            _spans.Reject(span,
                $"span {_spanIndex} of scope {RejectionLog.Quote(scope.Name)} (resource_spans[{_resourceIndex}].scope_spans[{_scopeIndex}].spans[{_spanIndex}]) {problem}");

        private void ParseEvent()
        {
            ulong time = 0;
            var name = string.Empty;
            uint dropped = 0;
            var attributesStart = _scratch.KeyValues.Count;
            while (_reader.HasMore)
            {
                var tag = _reader.ReadTag();
                switch (tag)
                {
                    case Event_TimeUnixNano:
                        time = _reader.ReadFixed64();
                        break;
                    case Event_Name:
                        name = ReadString("Span.Event.name");
                        break;
                    case Event_Attributes:
                        ParseKeyValueField();
                        break;
                    case Event_DroppedAttributesCount:
                        dropped = _reader.ReadUInt32();
                        break;
                    default:
                        _reader.SkipUnknownField(tag, Fields(1, 4), "Span.Event");
                        break;
                }
            }
            _scratch.Events.Add(new SpanEvent(time, name, _scratch.KeyValues.PopToArray(attributesStart), dropped));
        }

        /// <summary>Reads a link; false (and nothing kept) when its ids are invalid.</summary>
        private bool ParseLink()
        {
            ReceivedId traceId = default, spanId = default;
            var traceState = string.Empty;
            uint dropped = 0, flags = 0;
            var attributesStart = _scratch.KeyValues.Count;
            while (_reader.HasMore)
            {
                var tag = _reader.ReadTag();
                switch (tag)
                {
                    case Link_TraceId:
                        traceId = ReceivedId.FromBytes(_reader.ReadLengthDelimited());
                        break;
                    case Link_SpanId:
                        spanId = ReceivedId.FromBytes(_reader.ReadLengthDelimited());
                        break;
                    case Link_TraceState:
                        traceState = ReadString("Span.Link.trace_state");
                        break;
                    case Link_Attributes:
                        ParseKeyValueField();
                        break;
                    case Link_DroppedAttributesCount:
                        dropped = _reader.ReadUInt32();
                        break;
                    case Link_Flags:
                        flags = _reader.ReadFixed32();
                        break;
                    default:
                        _reader.SkipUnknownField(tag, Fields(1, 6), "Span.Link");
                        break;
                }
            }
            if (!_spans.IsUsableLink(traceId, spanId))
            {
                _scratch.KeyValues.Pop(attributesStart);
                return false;
            }
            _scratch.Links.Add(new SpanLink(new TraceId(traceId.High, traceId.Low), new SpanId(spanId.Low), traceState, _scratch.KeyValues.PopToArray(attributesStart), dropped, flags));
            return true;
        }

        private void ParseStatus(ref StatusCode code, ref string message)
        {
            while (_reader.HasMore)
            {
                var tag = _reader.ReadTag();
                switch (tag)
                {
                    case Status_Message:
                        message = ReadString("Status.message");
                        break;
                    case Status_Code:
                        var value = _reader.ReadVarint64();
                        code = value <= (ulong)StatusCode.Error ? (StatusCode)value : StatusCode.Unset;
                        break;
                    default:
                        // Field 1 is reserved (a retired code field), so it is skipped like any unknown field.
                        _reader.SkipUnknownField(tag, Fields(2, 3), "Status");
                        break;
                }
            }
        }

        /// <summary>
        /// Reads one top-level attribute (of a span, event, link, resource or scope) and pushes it
        /// onto the key-value stack, reusing the decoded attribute when the same bytes were seen before.
        /// </summary>
        private void ParseKeyValueField()
        {
            var outer = _reader.PushLimit();
            var message = _reader.Remaining;
            if (message.Length <= KeyValueCache.MaxMessageLength)
            {
                var hash = KeyValueCache.Hash(message);
                if (_scratch.Attributes.TryGet(message, hash, out var cached))
                {
                    _reader.SkipToLimit();
                    _scratch.KeyValues.Add(cached);
                }
                else
                {
                    ParseKeyValue(0);
                    _scratch.Attributes.Offer(message, hash, _scratch.KeyValues.Top);
                }
            }
            else
            {
                ParseKeyValue(0);
            }
            _reader.PopLimit(outer);
        }

        private void ParseKeyValue(int depth)
        {
            var key = string.Empty;
            var value = default(MergedAnyValue);
            while (_reader.HasMore)
            {
                var tag = _reader.ReadTag();
                switch (tag)
                {
                    case KeyValue_Key:
                        key = ReadString("KeyValue.key");
                        break;
                    case KeyValue_Value:
                        var outer = _reader.PushLimit();
                        ParseAnyValue(depth, ref value);
                        _reader.PopLimit(outer);
                        break;
                    default:
                        _reader.SkipUnknownField(tag, Fields(1, 2), "KeyValue");
                        break;
                }
            }
            _scratch.KeyValues.Add(new KeyValue(key, value.Value));
        }

        /// <summary>
        /// Reads an AnyValue into <paramref name="value"/>, which holds what earlier occurrences of
        /// the same field produced (see <see cref="MergedAnyValue"/>).
        /// </summary>
        private void ParseAnyValue(int depth, ref MergedAnyValue value)
        {
            while (_reader.HasMore)
            {
                var tag = _reader.ReadTag();
                switch (tag)
                {
                    case AnyValue_String:
                        value.Set(AttributeValue.FromString(ReadString("AnyValue.string_value")));
                        break;
                    case AnyValue_Bool:
                        value.Set(AttributeValue.FromBool(_reader.ReadVarint64() != 0));
                        break;
                    case AnyValue_Int:
                        value.Set(AttributeValue.FromInt((long)_reader.ReadVarint64()));
                        break;
                    case AnyValue_Double:
                        value.Set(AttributeValue.FromDouble(BitConverter.UInt64BitsToDouble(_reader.ReadFixed64())));
                        break;
                    case AnyValue_Array:
                        value.Extend(ParseNested(depth + 1, isArray: true));
                        break;
                    case AnyValue_KeyValueList:
                        value.Extend(ParseNested(depth + 1, isArray: false));
                        break;
                    case AnyValue_Bytes:
                        value.Set(AttributeValue.FromBytes(_reader.ReadLengthDelimited().ToArray()));
                        break;
                    default:
                        _reader.SkipUnknownField(tag, Fields(1, 7), "AnyValue");
                        break;
                }
            }
        }

        /// <summary>Reads an ArrayValue or KeyValueList whose tag was just read, enforcing the depth limit first.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private AttributeValue ParseNested(int depth, bool isArray)
        {
            if (depth > _maxDepth)
                ProtobufReader.Throw($"attribute value nested deeper than {_maxDepth} arrays or key-value lists (DecodeLimits.MaxValueDepth)", _reader.TagStart);
            var outer = _reader.PushLimit();
            AttributeValue result;
            if (isArray)
            {
                var start = _scratch.Values.Count;
                while (_reader.HasMore)
                {
                    var tag = _reader.ReadTag();
                    if (tag == ArrayValue_Values)
                    {
                        var outerValue = _reader.PushLimit();
                        var element = default(MergedAnyValue);
                        ParseAnyValue(depth, ref element);
                        _reader.PopLimit(outerValue);
                        _scratch.Values.Add(element.Value);
                    }
                    else
                    {
                        _reader.SkipUnknownField(tag, Fields(1, 1), "ArrayValue");
                    }
                }
                result = AttributeValue.FromArray(_scratch.Values.PopToArray(start));
            }
            else
            {
                var start = _scratch.KeyValues.Count;
                while (_reader.HasMore)
                {
                    var tag = _reader.ReadTag();
                    if (tag == KeyValueList_Values)
                    {
                        var outerValue = _reader.PushLimit();
                        ParseKeyValue(depth);
                        _reader.PopLimit(outerValue);
                    }
                    else
                    {
                        _reader.SkipUnknownField(tag, Fields(1, 1), "KeyValueList");
                    }
                }
                result = AttributeValue.FromKeyValueList(_scratch.KeyValues.PopToArray(start));
            }
            _reader.PopLimit(outer);
            return result;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private string ReadString(string field)
        {
            var bytes = _reader.ReadLengthDelimited();
            if (!_scratch.Strings.TryGetString(bytes, out var value))
                ProtobufReader.Throw($"{field} is not valid UTF-8", _reader.OffsetOf(bytes));
            return value;
        }
    }
}
