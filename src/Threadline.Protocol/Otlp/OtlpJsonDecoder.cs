using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Threadline.Core.Model;
using Threadline.Protocol.Decoding;

namespace Threadline.Protocol.Otlp;

/// <summary>Decodes an OTLP/JSON ExportTraceServiceRequest into Core spans.</summary>
/// <remarks>
/// Follows the OTLP JSON mapping: ids are hex (either case), 64-bit integers may be decimal
/// strings or numbers, enums may be integers or their names (SPAN_KIND_SERVER), keys may be
/// lowerCamelCase or the original snake_case, null means "not set", and unknown keys are skipped
/// at every level. Validation and partial-success rules are the same as
/// <see cref="OtlpProtobufDecoder"/>: bad ids reject one span, bad JSON rejects the request.
/// </remarks>
public static class OtlpJsonDecoder
{
    public static DecodedSpans DecodeExportRequest(ReadOnlySpan<byte> utf8Json, DecodeLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var scratch = DecodeScratch.Rent();
        try
        {
            var parser = new Parser(utf8Json, limits.MaxValueDepth, scratch);
            return parser.ParseExportRequest();
        }
        catch (JsonException e)
        {
            throw new ProtocolException($"Malformed OTLP/JSON at {JsonLocation.Of(e)}: {JsonLocation.ProblemOf(e)}.", e);
        }
        finally
        {
            DecodeScratch.Return(scratch);
        }
    }

    private ref struct Parser
    {
        private static readonly SpanIdRules Ids = new(
            new IdRule("traceId", "characters", TraceId.HexLength, "32 hex digits", Required: true),
            new IdRule("spanId", "characters", SpanId.HexLength, "16 hex digits", Required: true),
            new IdRule("parentSpanId", "characters", SpanId.HexLength, "16 hex digits", Required: false));

        private Utf8JsonReader _reader;
        private readonly int _maxDepth;
        private readonly int _maxJsonDepth;
        private readonly DecodeScratch _scratch;
        private SpanAssembly _spans;
        private int _resourceIndex = -1;
        private int _scopeIndex = -1;
        private int _spanIndex = -1;

        private readonly ReadOnlySpan<byte> _input;

        public Parser(ReadOnlySpan<byte> utf8Json, int maxDepth, DecodeScratch scratch)
        {
            _input = utf8Json;
            // Room for the fixed envelope (request → resource → scope → span → attribute ≈ 10 levels),
            // three JSON levels per nested attribute value, and some unknown fields besides.
            _maxJsonDepth = 32 + (3 * (maxDepth + 1));
            // The reader's own limit sits one level above ours so that SkipValue reports first, with a clearer message.
            _reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = _maxJsonDepth + 1 });
            _maxDepth = maxDepth;
            _scratch = scratch;
            _spans = new SpanAssembly(scratch, Ids);
        }

        public DecodedSpans ParseExportRequest()
        {
            if (_input.Trim(" \t\r\n"u8).IsEmpty) Throw("the body is empty; expected an ExportTraceServiceRequest object such as {\"resourceSpans\":[...]}");
            _reader.Read();
            ExpectObject("the request");
            while (NextProperty(out var name))
            {
                if (Is(name, "resourceSpans"u8, "resource_spans"u8))
                {
                    ExpectArray("resourceSpans");
                    _resourceIndex = 0;
                    while (NextElement())
                    {
                        ParseResourceSpans();
                        _resourceIndex++;
                    }
                    _resourceIndex = -1;
                }
                else
                {
                    SkipValue();
                }
            }
            // Anything but whitespace after the object is an error (the reader throws on it).
            _reader.Read();
            return _spans.Result();
        }

        private void ParseResourceSpans()
        {
            ExpectObject("a resourceSpans element");
            // Spans need their Resource when built, but JSON keys come in any order: a first pass
            // reads only resource and schemaUrl, then the reader is rewound for the scopeSpans.
            var start = _reader;
            var attributesStart = _scratch.KeyValues.Count;
            uint dropped = 0;
            var schemaUrl = string.Empty;
            while (NextProperty(out var name))
            {
                if (name.SequenceEqual("resource"u8))
                {
                    ExpectObject("resource");
                    while (NextProperty(out var field))
                    {
                        if (field.SequenceEqual("attributes"u8)) ParseAttributes("resource.attributes");
                        else if (Is(field, "droppedAttributesCount"u8, "dropped_attributes_count"u8)) dropped = ReadUInt32("resource.droppedAttributesCount");
                        else SkipValue();
                    }
                }
                else if (Is(name, "schemaUrl"u8, "schema_url"u8))
                {
                    schemaUrl = ReadString("schemaUrl");
                }
                else
                {
                    SkipValue();
                }
            }
            var attributes = _scratch.KeyValues.PopToArray(attributesStart);
            var resource = attributes.Length == 0 && dropped == 0 && schemaUrl.Length == 0
                ? Resource.Empty
                : new Resource(attributes, dropped, schemaUrl);

            _reader = start;
            while (NextProperty(out var name))
            {
                if (Is(name, "scopeSpans"u8, "scope_spans"u8))
                {
                    ExpectArray("scopeSpans");
                    _scopeIndex = 0;
                    while (NextElement())
                    {
                        ParseScopeSpans(resource);
                        _scopeIndex++;
                    }
                    _scopeIndex = -1;
                }
                else
                {
                    SkipValue();
                }
            }
        }

        private void ParseScopeSpans(Resource resource)
        {
            ExpectObject("a scopeSpans element");
            var start = _reader;
            var attributesStart = _scratch.KeyValues.Count;
            string name = string.Empty, version = string.Empty, schemaUrl = string.Empty;
            uint dropped = 0;
            while (NextProperty(out var property))
            {
                if (property.SequenceEqual("scope"u8))
                {
                    ExpectObject("scope");
                    while (NextProperty(out var field))
                    {
                        if (field.SequenceEqual("name"u8)) name = ReadString("scope.name");
                        else if (field.SequenceEqual("version"u8)) version = ReadString("scope.version");
                        else if (field.SequenceEqual("attributes"u8)) ParseAttributes("scope.attributes");
                        else if (Is(field, "droppedAttributesCount"u8, "dropped_attributes_count"u8)) dropped = ReadUInt32("scope.droppedAttributesCount");
                        else SkipValue();
                    }
                }
                else if (Is(property, "schemaUrl"u8, "schema_url"u8))
                {
                    schemaUrl = ReadString("schemaUrl");
                }
                else
                {
                    SkipValue();
                }
            }
            var attributes = _scratch.KeyValues.PopToArray(attributesStart);
            var scope = name.Length == 0 && version.Length == 0 && attributes.Length == 0 && dropped == 0 && schemaUrl.Length == 0
                ? InstrumentationScope.Empty
                : new InstrumentationScope(name, version, attributes, dropped, schemaUrl);

            _reader = start;
            while (NextProperty(out var property))
            {
                if (property.SequenceEqual("spans"u8))
                {
                    ExpectArray("spans");
                    _spanIndex = 0;
                    while (NextElement())
                    {
                        ParseSpan(resource, scope);
                        _spanIndex++;
                    }
                    _spanIndex = -1;
                }
                else
                {
                    SkipValue();
                }
            }
        }

        private void ParseSpan(Resource resource, InstrumentationScope scope)
        {
            ExpectObject("a span");
            var span = _spans.Begin();
            while (NextProperty(out var property))
            {
                if (Is(property, "traceId"u8, "trace_id"u8)) span.TraceId = ReadId("traceId");
                else if (Is(property, "spanId"u8, "span_id"u8)) span.SpanId = ReadId("spanId");
                else if (Is(property, "parentSpanId"u8, "parent_span_id"u8)) span.ParentSpanId = ReadId("parentSpanId");
                else if (property.SequenceEqual("name"u8)) span.Name = ReadString("name");
                else if (property.SequenceEqual("kind"u8)) span.Kind = ReadKind();
                else if (Is(property, "startTimeUnixNano"u8, "start_time_unix_nano"u8)) span.StartTimeUnixNano = ReadUInt64("startTimeUnixNano");
                else if (Is(property, "endTimeUnixNano"u8, "end_time_unix_nano"u8)) span.EndTimeUnixNano = ReadUInt64("endTimeUnixNano");
                else if (property.SequenceEqual("attributes"u8)) ParseAttributes("attributes");
                else if (Is(property, "droppedAttributesCount"u8, "dropped_attributes_count"u8)) span.DroppedAttributesCount = ReadUInt32("droppedAttributesCount");
                else if (property.SequenceEqual("events"u8))
                {
                    ExpectArray("events");
                    while (NextElement()) ParseEvent();
                }
                else if (Is(property, "droppedEventsCount"u8, "dropped_events_count"u8)) span.DroppedEventsCount = ReadUInt32("droppedEventsCount");
                else if (property.SequenceEqual("links"u8))
                {
                    ExpectArray("links");
                    while (NextElement())
                    {
                        if (!ParseLink()) span.InvalidLinks++;
                    }
                }
                else if (Is(property, "droppedLinksCount"u8, "dropped_links_count"u8)) span.DroppedLinksCount = ReadUInt32("droppedLinksCount");
                else if (property.SequenceEqual("status"u8)) ParseStatus(ref span.StatusCode, ref span.StatusMessage);
                else if (Is(property, "traceState"u8, "trace_state"u8)) span.TraceState = ReadString("traceState");
                else if (property.SequenceEqual("flags"u8)) span.Flags = ReadUInt32("flags");
                else SkipValue();
            }

            if (_spans.IdProblem(span) is { } problem)
            {
                _spans.Reject(span,
                    $"span {_spanIndex} of scope {RejectionLog.Quote(scope.Name)} (resourceSpans[{_resourceIndex}].scopeSpans[{_scopeIndex}].spans[{_spanIndex}]) {problem}");
                return;
            }
            _spans.Add(span, resource, scope);
        }

        private void ParseEvent()
        {
            ExpectObject("an event");
            ulong time = 0;
            var name = string.Empty;
            uint dropped = 0;
            var attributesStart = _scratch.KeyValues.Count;
            while (NextProperty(out var property))
            {
                if (Is(property, "timeUnixNano"u8, "time_unix_nano"u8)) time = ReadUInt64("events[].timeUnixNano");
                else if (property.SequenceEqual("name"u8)) name = ReadString("events[].name");
                else if (property.SequenceEqual("attributes"u8)) ParseAttributes("events[].attributes");
                else if (Is(property, "droppedAttributesCount"u8, "dropped_attributes_count"u8)) dropped = ReadUInt32("events[].droppedAttributesCount");
                else SkipValue();
            }
            _scratch.Events.Add(new SpanEvent(time, name, _scratch.KeyValues.PopToArray(attributesStart), dropped));
        }

        /// <summary>A link with an invalid id is dropped (false) and counted by the caller, as in the protobuf decoder.</summary>
        private bool ParseLink()
        {
            ExpectObject("a link");
            ReceivedId traceId = default, spanId = default;
            var traceState = string.Empty;
            uint dropped = 0, flags = 0;
            var attributesStart = _scratch.KeyValues.Count;
            while (NextProperty(out var property))
            {
                if (Is(property, "traceId"u8, "trace_id"u8)) traceId = ReadId("links[].traceId");
                else if (Is(property, "spanId"u8, "span_id"u8)) spanId = ReadId("links[].spanId");
                else if (Is(property, "traceState"u8, "trace_state"u8)) traceState = ReadString("links[].traceState");
                else if (property.SequenceEqual("attributes"u8)) ParseAttributes("links[].attributes");
                else if (Is(property, "droppedAttributesCount"u8, "dropped_attributes_count"u8)) dropped = ReadUInt32("links[].droppedAttributesCount");
                else if (property.SequenceEqual("flags"u8)) flags = ReadUInt32("links[].flags");
                else SkipValue();
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
            ExpectObject("status");
            while (NextProperty(out var property))
            {
                if (property.SequenceEqual("message"u8)) message = ReadString("status.message");
                else if (property.SequenceEqual("code"u8)) code = ReadStatusCode();
                else SkipValue();
            }
        }

        /// <summary>Reads an array of KeyValue objects onto the key-value stack.</summary>
        private void ParseAttributes(string what)
        {
            ExpectArray(what);
            while (NextElement()) ParseKeyValue(0);
        }

        private void ParseKeyValue(int depth)
        {
            ExpectObject("an attribute (a {\"key\":...,\"value\":{...}} object)");
            var key = string.Empty;
            var value = AttributeValue.Empty;
            while (NextProperty(out var property))
            {
                if (property.SequenceEqual("key"u8)) key = ReadString("key");
                else if (property.SequenceEqual("value"u8)) value = ParseAnyValue(depth);
                else SkipValue();
            }
            _scratch.KeyValues.Add(new KeyValue(key, value));
        }

        private AttributeValue ParseAnyValue(int depth)
        {
            ExpectObject("an attribute value (an AnyValue object such as {\"stringValue\":\"x\"})");
            var value = AttributeValue.Empty;
            while (NextProperty(out var property))
            {
                if (Is(property, "stringValue"u8, "string_value"u8))
                {
                    value = AttributeValue.FromString(ReadString("stringValue"));
                }
                else if (Is(property, "intValue"u8, "int_value"u8))
                {
                    if (!JsonScalars.TryReadInt64(ref _reader, out var integer)) ThrowExpected("intValue", "a 64-bit integer (number or decimal string)");
                    value = AttributeValue.FromInt(integer);
                }
                else if (Is(property, "boolValue"u8, "bool_value"u8))
                {
                    if (_reader.TokenType is not (JsonTokenType.True or JsonTokenType.False)) ThrowExpected("boolValue", "true or false");
                    value = AttributeValue.FromBool(_reader.TokenType == JsonTokenType.True);
                }
                else if (Is(property, "doubleValue"u8, "double_value"u8))
                {
                    if (!JsonScalars.TryReadDouble(ref _reader, out var number)) ThrowExpected("doubleValue", "a number, \"NaN\", \"Infinity\" or \"-Infinity\"");
                    value = AttributeValue.FromDouble(number);
                }
                else if (Is(property, "bytesValue"u8, "bytes_value"u8))
                {
                    value = AttributeValue.FromBytes(ReadBase64("bytesValue"));
                }
                else if (Is(property, "arrayValue"u8, "array_value"u8))
                {
                    value = AttributeValue.FromArray(ParseArrayValue(depth + 1));
                }
                else if (Is(property, "kvlistValue"u8, "kvlist_value"u8))
                {
                    value = AttributeValue.FromKeyValueList(ParseKeyValueList(depth + 1));
                }
                else
                {
                    SkipValue();
                }
            }
            return value;
        }

        private AttributeValue[] ParseArrayValue(int depth)
        {
            CheckDepth(depth);
            ExpectObject("arrayValue");
            var start = _scratch.Values.Count;
            while (NextProperty(out var property))
            {
                if (property.SequenceEqual("values"u8))
                {
                    ExpectArray("arrayValue.values");
                    while (NextElement()) _scratch.Values.Add(ParseAnyValue(depth));
                }
                else
                {
                    SkipValue();
                }
            }
            return _scratch.Values.PopToArray(start);
        }

        private KeyValue[] ParseKeyValueList(int depth)
        {
            CheckDepth(depth);
            ExpectObject("kvlistValue");
            var start = _scratch.KeyValues.Count;
            while (NextProperty(out var property))
            {
                if (property.SequenceEqual("values"u8))
                {
                    ExpectArray("kvlistValue.values");
                    while (NextElement()) ParseKeyValue(depth);
                }
                else
                {
                    SkipValue();
                }
            }
            return _scratch.KeyValues.PopToArray(start);
        }

        private readonly void CheckDepth(int depth)
        {
            if (depth > _maxDepth)
                Throw($"attribute value nested deeper than {_maxDepth} arrays or key-value lists (DecodeLimits.MaxValueDepth)");
        }

        private SpanKind ReadKind()
        {
            if (_reader.TokenType == JsonTokenType.String)
            {
                var name = _reader.ValueSpan;
                if (name.SequenceEqual("SPAN_KIND_UNSPECIFIED"u8)) return SpanKind.Unspecified;
                if (name.SequenceEqual("SPAN_KIND_INTERNAL"u8)) return SpanKind.Internal;
                if (name.SequenceEqual("SPAN_KIND_SERVER"u8)) return SpanKind.Server;
                if (name.SequenceEqual("SPAN_KIND_CLIENT"u8)) return SpanKind.Client;
                if (name.SequenceEqual("SPAN_KIND_PRODUCER"u8)) return SpanKind.Producer;
                if (name.SequenceEqual("SPAN_KIND_CONSUMER"u8)) return SpanKind.Consumer;
            }
            if (_reader.TokenType == JsonTokenType.Number && _reader.TryGetInt32(out var number))
                return number is >= 0 and <= (int)SpanKind.Consumer ? (SpanKind)number : SpanKind.Unspecified;
            ThrowExpected("kind", "an integer 0-5 or a name such as \"SPAN_KIND_SERVER\"");
            return default;
        }

        private StatusCode ReadStatusCode()
        {
            if (_reader.TokenType == JsonTokenType.String)
            {
                var name = _reader.ValueSpan;
                if (name.SequenceEqual("STATUS_CODE_UNSET"u8)) return StatusCode.Unset;
                if (name.SequenceEqual("STATUS_CODE_OK"u8)) return StatusCode.Ok;
                if (name.SequenceEqual("STATUS_CODE_ERROR"u8)) return StatusCode.Error;
            }
            if (_reader.TokenType == JsonTokenType.Number && _reader.TryGetInt32(out var number))
                return number is >= 0 and <= (int)StatusCode.Error ? (StatusCode)number : StatusCode.Unset;
            ThrowExpected("status.code", "an integer 0-2 or a name such as \"STATUS_CODE_ERROR\"");
            return default;
        }

        /// <summary>A hex id as read, checked later (<see cref="SpanAssembly.IdProblem"/>) so that a bad id rejects only its span.</summary>
        private ReceivedId ReadId(string what)
        {
            if (_reader.TokenType != JsonTokenType.String) ThrowExpected(what, "a hex string");
            if (!_reader.ValueIsEscaped) return ReceivedId.FromHex(_reader.ValueSpan);
            // Hex digits never need escaping; an escaped id is unusual enough to unescape the slow way.
            if (!JsonScalars.TryUnescape(ref _reader, out var unescaped)) Throw($"{what} is not valid UTF-8 or has an invalid escape");
            return ReceivedId.FromHex(System.Text.Encoding.UTF8.GetBytes(unescaped));
        }

        private byte[] ReadBase64(string what)
        {
            if (_reader.TokenType != JsonTokenType.String) ThrowExpected(what, "a base64 string");
            // Unescaping can fail (a lone surrogate), so an escaped value takes the slower path below.
            if (!_reader.ValueIsEscaped && _reader.TryGetBytesFromBase64(out var bytes)) return bytes;
            if (!JsonScalars.TryUnescape(ref _reader, out var text)) ThrowExpected(what, "base64");
            // The protobuf JSON mapping also accepts the URL-safe alphabet and missing padding.
            text = text.Replace('-', '+').Replace('_', '/');
            text = text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
            var buffer = new byte[text.Length];
            if (!Convert.TryFromBase64String(text, buffer, out var written)) ThrowExpected(what, "base64");
            return buffer.AsSpan(0, written).ToArray();
        }

        private string ReadString(string what)
        {
            switch (JsonScalars.TryReadString(ref _reader, _scratch.Strings, out var value))
            {
                case JsonStringResult.NotAString: ThrowExpected(what, "a string"); break;
                case JsonStringResult.InvalidUtf8: Throw($"{what} is not valid UTF-8"); break;
                case JsonStringResult.InvalidEscape: Throw($"{what} is not valid UTF-8 or has an invalid escape"); break;
            }
            return value;
        }

        private ulong ReadUInt64(string what)
        {
            if (!JsonScalars.TryReadUInt64(ref _reader, out var value)) ThrowExpected(what, "an unsigned 64-bit integer (decimal string or number)");
            return value;
        }

        private uint ReadUInt32(string what)
        {
            if (!JsonScalars.TryReadUInt32(ref _reader, out var value)) ThrowExpected(what, "an unsigned 32-bit integer");
            return value;
        }

        /// <summary>
        /// Moves to the next property of the current object and onto its value; false at the end
        /// of the object. Properties whose value is null are passed over: null means "not set".
        /// </summary>
        private bool NextProperty(out ReadOnlySpan<byte> name)
        {
            var step = JsonScalars.NextProperty(ref _reader, out name);
            if (step == JsonStep.EndOfData) Throw(EndOfDataProblem);
            if (step == JsonStep.InvalidName) Throw(InvalidNameProblem);
            return step == JsonStep.Property;
        }

        /// <summary>
        /// Skips the value the reader is on (an unknown field, or a known one the current pass
        /// does not want), bounding its depth. The first pass over a resourceSpans skips its
        /// scopeSpans, so this is also where a depth bomb inside an attribute is usually caught.
        /// </summary>
        private void SkipValue()
        {
            if (_reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray)) return;
            var depth = _reader.CurrentDepth;
            while (true)
            {
                Advance();
                if (_reader.CurrentDepth == depth && _reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray) return;
                if (_reader.CurrentDepth >= _maxJsonDepth)
                    Throw($"JSON nested deeper than {_maxJsonDepth} levels; attribute values may nest at most {_maxDepth} arrays or key-value lists (DecodeLimits.MaxValueDepth)");
            }
        }

        /// <summary>Moves onto the next element of the current array; false at its end.</summary>
        private bool NextElement()
        {
            Advance();
            return _reader.TokenType != JsonTokenType.EndArray;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool Is(ReadOnlySpan<byte> name, ReadOnlySpan<byte> camelCase, ReadOnlySpan<byte> snakeCase) =>
            name.SequenceEqual(camelCase) || name.SequenceEqual(snakeCase);

        private readonly void ExpectObject(string what)
        {
            if (_reader.TokenType != JsonTokenType.StartObject) ThrowExpected(what, "an object");
        }

        private readonly void ExpectArray(string what)
        {
            if (_reader.TokenType != JsonTokenType.StartArray) ThrowExpected(what, "an array");
        }

        /// <summary>
        /// Reads the next token. With the whole body in hand the reader itself throws on truncated
        /// input; the check only guarantees that no loop can spin at the end of the data.
        /// </summary>
        private void Advance()
        {
            if (!_reader.Read()) Throw(EndOfDataProblem);
        }

        private const string EndOfDataProblem = "the body ends before the JSON is complete";
        private const string InvalidNameProblem = "a property name is not valid UTF-8 or has an invalid escape";

        [DoesNotReturn]
        private readonly void ThrowExpected(string what, string expected) =>
            Throw($"{what} must be {expected}, not {JsonScalars.Describe(_reader.TokenType)}");

        [DoesNotReturn]
        [MethodImpl(MethodImplOptions.NoInlining)]
        private readonly void Throw(string problem)
        {
            var path = _resourceIndex < 0 ? "$"
                : _scopeIndex < 0 ? $"resourceSpans[{_resourceIndex}]"
                : _spanIndex < 0 ? $"resourceSpans[{_resourceIndex}].scopeSpans[{_scopeIndex}]"
                : $"resourceSpans[{_resourceIndex}].scopeSpans[{_scopeIndex}].spans[{_spanIndex}]";
            throw new ProtocolException($"Invalid OTLP/JSON at {JsonLocation.Of(_input, _reader.TokenStartIndex)} (in {path}): {problem}.");
        }
    }
}
