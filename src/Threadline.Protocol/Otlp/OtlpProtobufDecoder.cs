using System.Buffers.Binary;
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
        private ProtobufReader _reader;
        private readonly int _maxDepth;
        private readonly DecodeScratch _scratch;
        private RejectionLog? _rejections;
        private int _resourceIndex;
        private int _scopeIndex;
        private int _spanIndex;

        public Parser(ReadOnlySpan<byte> body, int maxDepth, DecodeScratch scratch)
        {
            _reader = new ProtobufReader(body);
            _maxDepth = maxDepth;
            _scratch = scratch;
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
            return RejectionLog.Result(_scratch.Spans.PopToArray(0), _rejections);
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
            int traceIdLength = 0, spanIdLength = 0, parentIdLength = 0;
            ulong traceHigh = 0, traceLow = 0, spanId = 0, parentId = 0;
            ulong startTime = 0, endTime = 0;
            string traceState = string.Empty, name = string.Empty, statusMessage = string.Empty;
            uint flags = 0, droppedAttributes = 0, droppedEvents = 0, droppedLinks = 0, invalidLinks = 0;
            var kind = SpanKind.Unspecified;
            var statusCode = StatusCode.Unset;
            var attributesStart = _scratch.KeyValues.Count;
            var eventsStart = _scratch.Events.Count;
            var linksStart = _scratch.Links.Count;

            while (_reader.HasMore)
            {
                var tag = _reader.ReadTag();
                switch (tag)
                {
                    case Span_TraceId:
                        traceIdLength = ReadTraceId(out traceHigh, out traceLow);
                        break;
                    case Span_SpanId:
                        spanIdLength = ReadSpanId(out spanId);
                        break;
                    case Span_TraceState:
                        traceState = ReadString("Span.trace_state");
                        break;
                    case Span_ParentSpanId:
                        parentIdLength = ReadSpanId(out parentId);
                        break;
                    case Span_Name:
                        name = ReadString("Span.name");
                        break;
                    case Span_Kind:
                        var kindValue = _reader.ReadVarint64();
                        kind = kindValue <= (ulong)SpanKind.Consumer ? (SpanKind)kindValue : SpanKind.Unspecified;
                        break;
                    case Span_StartTimeUnixNano:
                        startTime = _reader.ReadFixed64();
                        break;
                    case Span_EndTimeUnixNano:
                        endTime = _reader.ReadFixed64();
                        break;
                    case Span_Attributes:
                        ParseKeyValueField();
                        break;
                    case Span_DroppedAttributesCount:
                        droppedAttributes = _reader.ReadUInt32();
                        break;
                    case Span_Events:
                        var outerEvent = _reader.PushLimit();
                        ParseEvent();
                        _reader.PopLimit(outerEvent);
                        break;
                    case Span_DroppedEventsCount:
                        droppedEvents = _reader.ReadUInt32();
                        break;
                    case Span_Links:
                        var outerLink = _reader.PushLimit();
                        if (!ParseLink()) invalidLinks++;
                        _reader.PopLimit(outerLink);
                        break;
                    case Span_DroppedLinksCount:
                        droppedLinks = _reader.ReadUInt32();
                        break;
                    case Span_Status:
                        var outerStatus = _reader.PushLimit();
                        ParseStatus(ref statusCode, ref statusMessage);
                        _reader.PopLimit(outerStatus);
                        break;
                    case Span_Flags:
                        flags = _reader.ReadFixed32();
                        break;
                    default:
                        _reader.SkipUnknownField(tag, Fields(1, 16), "Span");
                        break;
                }
            }

            var problem = DescribeInvalidIds(traceIdLength, traceHigh | traceLow, spanIdLength, spanId, parentIdLength);
            if (problem is not null)
            {
                _scratch.KeyValues.Pop(attributesStart);
                _scratch.Events.Pop(eventsStart);
                _scratch.Links.Pop(linksStart);
                Reject(scope, problem);
                return;
            }

            _scratch.Spans.Add(new Span
            {
                TraceId = new TraceId(traceHigh, traceLow),
                SpanId = new SpanId(spanId),
                ParentSpanId = new SpanId(parentId),
                TraceState = traceState,
                Flags = flags,
                Name = name,
                Kind = kind,
                StartTimeUnixNano = startTime,
                EndTimeUnixNano = endTime,
                Attributes = _scratch.KeyValues.PopToArray(attributesStart),
                DroppedAttributesCount = droppedAttributes,
                Events = _scratch.Events.PopToArray(eventsStart),
                DroppedEventsCount = droppedEvents,
                Links = _scratch.Links.PopToArray(linksStart),
                DroppedLinksCount = (uint)Math.Min((ulong)droppedLinks + invalidLinks, uint.MaxValue),
                Status = statusCode == StatusCode.Unset && statusMessage.Length == 0 ? Core.Model.SpanStatus.Unset : new SpanStatus(statusCode, statusMessage),
                Resource = resource,
                Scope = scope,
            });
        }

        /// <summary>
        /// Reads a trace id field. Returns its length in bytes; the id itself only when it has the
        /// 16 bytes an id must have (otherwise zero: the span is rejected by its length).
        /// </summary>
        private int ReadTraceId(out ulong high, out ulong low)
        {
            var bytes = _reader.ReadLengthDelimited();
            var valid = bytes.Length == TraceId.ByteLength;
            high = valid ? BinaryPrimitives.ReadUInt64BigEndian(bytes) : 0;
            low = valid ? BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]) : 0;
            return bytes.Length;
        }

        /// <summary>Reads a span id field, as <see cref="ReadTraceId"/> does a trace id (8 bytes).</summary>
        private int ReadSpanId(out ulong id)
        {
            var bytes = _reader.ReadLengthDelimited();
            id = bytes.Length == SpanId.ByteLength ? BinaryPrimitives.ReadUInt64BigEndian(bytes) : 0;
            return bytes.Length;
        }

        private static string? DescribeInvalidIds(int traceIdLength, ulong traceIdBits, int spanIdLength, ulong spanId, int parentIdLength)
        {
            if (traceIdLength != TraceId.ByteLength)
                return traceIdLength == 0 ? "has no trace_id" : $"has a trace_id of {traceIdLength} bytes (expected 16)";
            if (traceIdBits == 0) return "has an all-zero trace_id";
            if (spanIdLength != SpanId.ByteLength)
                return spanIdLength == 0 ? "has no span_id" : $"has a span_id of {spanIdLength} bytes (expected 8)";
            if (spanId == 0) return "has an all-zero span_id";
            if (parentIdLength != 0 && parentIdLength != SpanId.ByteLength)
                return $"has a parent_span_id of {parentIdLength} bytes (expected 8, or none for a root span)";
            return null;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private void Reject(InstrumentationScope scope, string problem) =>
            (_rejections ??= new RejectionLog()).Add(
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
            int traceIdLength = 0, spanIdLength = 0;
            ulong traceHigh = 0, traceLow = 0, spanId = 0;
            var traceState = string.Empty;
            uint dropped = 0, flags = 0;
            var attributesStart = _scratch.KeyValues.Count;
            while (_reader.HasMore)
            {
                var tag = _reader.ReadTag();
                switch (tag)
                {
                    case Link_TraceId:
                        traceIdLength = ReadTraceId(out traceHigh, out traceLow);
                        break;
                    case Link_SpanId:
                        spanIdLength = ReadSpanId(out spanId);
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
            if (traceIdLength != TraceId.ByteLength || (traceHigh | traceLow) == 0 || spanIdLength != SpanId.ByteLength || spanId == 0)
            {
                _scratch.KeyValues.Pop(attributesStart);
                return false;
            }
            _scratch.Links.Add(new SpanLink(new TraceId(traceHigh, traceLow), new SpanId(spanId), traceState, _scratch.KeyValues.PopToArray(attributesStart), dropped, flags));
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
            var value = AttributeValue.Empty;
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
                        value = ParseAnyValue(depth, value);
                        _reader.PopLimit(outer);
                        break;
                    default:
                        _reader.SkipUnknownField(tag, Fields(1, 2), "KeyValue");
                        break;
                }
            }
            _scratch.KeyValues.Add(new KeyValue(key, value));
        }

        /// <summary>
        /// Reads an AnyValue. <paramref name="value"/> is what an earlier occurrence of the same
        /// field produced: protobuf merges repeated occurrences, so a second array or list of the
        /// same kind extends the first, and any other member replaces it.
        /// </summary>
        private AttributeValue ParseAnyValue(int depth, AttributeValue value)
        {
            while (_reader.HasMore)
            {
                var tag = _reader.ReadTag();
                switch (tag)
                {
                    case AnyValue_String:
                        value = AttributeValue.FromString(ReadString("AnyValue.string_value"));
                        break;
                    case AnyValue_Bool:
                        value = AttributeValue.FromBool(_reader.ReadVarint64() != 0);
                        break;
                    case AnyValue_Int:
                        value = AttributeValue.FromInt((long)_reader.ReadVarint64());
                        break;
                    case AnyValue_Double:
                        value = AttributeValue.FromDouble(BitConverter.UInt64BitsToDouble(_reader.ReadFixed64()));
                        break;
                    case AnyValue_Array:
                        value = Merge(value, ParseNested(depth + 1, isArray: true));
                        break;
                    case AnyValue_KeyValueList:
                        value = Merge(value, ParseNested(depth + 1, isArray: false));
                        break;
                    case AnyValue_Bytes:
                        value = AttributeValue.FromBytes(_reader.ReadLengthDelimited().ToArray());
                        break;
                    default:
                        _reader.SkipUnknownField(tag, Fields(1, 7), "AnyValue");
                        break;
                }
            }
            return value;
        }

        /// <summary>
        /// A second array (or list) for the same AnyValue extends the first, as protobuf merges
        /// repeated occurrences of an embedded message; anything else replaces the earlier value.
        /// Out of line because it almost never happens and would bloat the hot loop.
        /// </summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static AttributeValue Merge(AttributeValue earlier, AttributeValue later)
        {
            if (earlier.Type != later.Type) return later;
            return later.Type == AttributeType.Array
                ? AttributeValue.FromArray([.. earlier.AsArray(), .. later.AsArray()])
                : AttributeValue.FromKeyValueList([.. earlier.AsKeyValueList(), .. later.AsKeyValueList()]);
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
                        var element = ParseAnyValue(depth, AttributeValue.Empty);
                        _reader.PopLimit(outerValue);
                        _scratch.Values.Add(element);
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
