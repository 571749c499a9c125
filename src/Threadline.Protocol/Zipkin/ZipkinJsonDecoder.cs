using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Threadline.Core.Model;
using Threadline.Protocol.Decoding;
using static Threadline.Protocol.Zipkin.ZipkinConventions;

namespace Threadline.Protocol.Zipkin;

/// <summary>Decodes a Zipkin v2 JSON span list into Core spans.</summary>
/// <remarks>
/// <list type="bullet">
/// <item>Ids: traceId up to 32 hex digits, id and parentId up to 16; shorter ids are left-padded
/// with zeros as Zipkin does, so a 64-bit trace id lands in <see cref="TraceId.Low"/> with High = 0.
/// A missing, non-hex, too long or all-zero traceId or id rejects the span (the others are kept);
/// an all-zero parentId means a root span.</item>
/// <item>timestamp and duration are microseconds; the span ends at timestamp + duration.</item>
/// <item>localEndpoint.serviceName becomes the resource's service.name, exactly as received
/// (spans of one service share one Resource; without it the service is "unknown_service").</item>
/// <item>Tags become string attributes (numbers and booleans sent by lenient clients are kept as
/// their text). "error" sets an Error status with the tag value as message; otel.status_code,
/// otel.status_description, otel.scope.name and otel.scope.version are honoured and not kept as
/// attributes. See <see cref="ZipkinConventions"/> for endpoints, "shared" and "debug".</item>
/// <item>Annotations become events named by their value. An unknown kind decodes as Unspecified.</item>
/// </list>
/// </remarks>
public static class ZipkinJsonDecoder
{
    public static DecodedSpans Decode(ReadOnlySpan<byte> utf8Json, DecodeLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var scratch = DecodeScratch.Rent();
        try
        {
            var parser = new Parser(utf8Json, scratch);
            return parser.ParseSpanList();
        }
        catch (JsonException e)
        {
            throw new ProtocolException($"Malformed Zipkin v2 JSON at {JsonLocation.Of(e)}: {JsonLocation.ProblemOf(e)}.", e);
        }
        finally
        {
            DecodeScratch.Return(scratch);
        }
    }

    private struct Endpoint
    {
        public string? ServiceName;
        public string? Ipv4;
        public string? Ipv6;
        public int Port;
    }

    private ref struct Parser
    {
        private static readonly SpanIdRules Ids = new(
            new IdRule("traceId", "characters", TraceId.HexLength, "at most 32 hex digits", Required: true, ShorterAllowed: true),
            new IdRule("id", "characters", SpanId.HexLength, "at most 16 hex digits", Required: true, ShorterAllowed: true),
            new IdRule("parentId", "characters", SpanId.HexLength, "at most 16 hex digits", Required: false, ShorterAllowed: true));

        private Utf8JsonReader _reader;
        private readonly DecodeScratch _scratch;
        private SpanAssembly _spans;
        private readonly Dictionary<string, Resource> _resources = new(StringComparer.Ordinal);
        private readonly Dictionary<(Resource, string, string), InstrumentationScope> _scopes = [];
        private Resource? _unknownServiceResource;
        private int _spanIndex = -1;

        private readonly ReadOnlySpan<byte> _input;

        public Parser(ReadOnlySpan<byte> utf8Json, DecodeScratch scratch)
        {
            _input = utf8Json;
            _reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 64 });
            _scratch = scratch;
            _spans = new SpanAssembly(scratch, Ids);
        }

        public DecodedSpans ParseSpanList()
        {
            if (IsBlank(_input)) Throw("the body is empty; expected a JSON array of Zipkin v2 spans");
            _reader.Read();
            if (_reader.TokenType != JsonTokenType.StartArray) ThrowExpected("the body", "an array of spans");
            _spanIndex = 0;
            while (true)
            {
                Advance();
                if (_reader.TokenType == JsonTokenType.EndArray) break;
                ParseSpan();
                _spanIndex++;
            }
            _spanIndex = -1;
            _reader.Read();
            return _spans.Result();
        }

        private void ParseSpan()
        {
            if (_reader.TokenType != JsonTokenType.StartObject) ThrowExpected("a span", "an object");
            var span = _spans.Begin();
            string? idHex = null;
            ulong timestamp = 0, duration = 0;
            Endpoint local = default, remote = default;
            bool shared = false, debug = false;
            string? error = null, statusCode = null, statusDescription = null;
            string scopeName = string.Empty, scopeVersion = string.Empty;
            string? legacyScopeName = null, legacyScopeVersion = null;

            while (NextProperty(out var property))
            {
                if (property.SequenceEqual("traceId"u8)) span.TraceId = ReceivedId.FromPaddedHex(ReadString("traceId"));
                else if (property.SequenceEqual("id"u8))
                {
                    idHex = ReadString("id");
                    span.SpanId = ReceivedId.FromPaddedHex(idHex);
                }
                else if (property.SequenceEqual("parentId"u8)) span.ParentSpanId = ReceivedId.FromPaddedHex(ReadString("parentId"));
                else if (property.SequenceEqual("name"u8)) span.Name = ReadString("name");
                else if (property.SequenceEqual("kind"u8)) span.Kind = ParseKind(ReadString("kind"));
                else if (property.SequenceEqual("timestamp"u8)) timestamp = ReadMicroseconds("timestamp");
                else if (property.SequenceEqual("duration"u8)) duration = ReadMicroseconds("duration");
                else if (property.SequenceEqual("localEndpoint"u8)) local = ParseEndpoint("localEndpoint");
                else if (property.SequenceEqual("remoteEndpoint"u8)) remote = ParseEndpoint("remoteEndpoint");
                else if (property.SequenceEqual("debug"u8)) debug = ReadBool("debug");
                else if (property.SequenceEqual("shared"u8)) shared = ReadBool("shared");
                else if (property.SequenceEqual("annotations"u8)) ParseAnnotations();
                else if (property.SequenceEqual("tags"u8))
                {
                    if (_reader.TokenType != JsonTokenType.StartObject) ThrowExpected("tags", "an object of string values");
                    while (NextProperty(out var key))
                    {
                        var keyString = ReadPropertyName(key);
                        var value = ReadTagValue(keyString);
                        switch (keyString)
                        {
                            case ErrorTag: error = value; break;
                            case StatusCodeTag: statusCode = value; break;
                            case StatusDescriptionTag: statusDescription = value; break;
                            case ScopeNameTag: scopeName = value; break;
                            case ScopeVersionTag: scopeVersion = value; break;
                            case LegacyScopeNameTag: legacyScopeName = value; break;
                            case LegacyScopeVersionTag: legacyScopeVersion = value; break;
                            default: _scratch.KeyValues.Add(new KeyValue(keyString, AttributeValue.FromString(value))); break;
                        }
                    }
                }
                else
                {
                    _reader.Skip();
                }
            }

            if (_spans.IdProblem(span) is { } problem)
            {
                var shownId = idHex is { Length: > 0 and <= 32 } ? $" (id {RejectionLog.Quote(idHex)})" : string.Empty;
                _spans.Reject(span, $"span {_spanIndex}{shownId} {problem}");
                return;
            }

            AddEndpointAttributes(local, LocalAddress, LocalPort, LocalIpv6);
            if (remote.ServiceName is { Length: > 0 }) _scratch.KeyValues.Add(new KeyValue(PeerService, remote.ServiceName));
            AddEndpointAttributes(remote, PeerAddress, PeerPort, PeerIpv6);
            if (shared) _scratch.KeyValues.Add(new KeyValue(Shared, true));
            if (debug) _scratch.KeyValues.Add(new KeyValue(Debug, true));

            var resource = ResourceFor(local.ServiceName);
            var scope = ScopeFor(resource, scopeName.Length > 0 ? scopeName : legacyScopeName ?? string.Empty, scopeVersion.Length > 0 ? scopeVersion : legacyScopeVersion ?? string.Empty);
            var start = timestamp * 1000;
            span.StartTimeUnixNano = start;
            span.EndTimeUnixNano = duration > (ulong.MaxValue - start) / 1000 ? ulong.MaxValue : start + (duration * 1000);
            SetStatus(ref span, error, statusCode, statusDescription);
            _spans.Add(span, resource, scope);
        }

        /// <summary>otel.status_code wins when present; otherwise an "error" tag means Error. The message prefers otel.status_description.</summary>
        private static void SetStatus(ref SpanDraft span, string? error, string? statusCode, string? statusDescription)
        {
            StatusCode code;
            if (statusCode is not null && statusCode.Equals("ERROR", StringComparison.OrdinalIgnoreCase)) code = StatusCode.Error;
            else if (statusCode is not null && statusCode.Equals("OK", StringComparison.OrdinalIgnoreCase)) code = StatusCode.Ok;
            else if (statusCode is not null && statusCode.Equals("UNSET", StringComparison.OrdinalIgnoreCase)) code = StatusCode.Unset;
            else code = error is not null ? StatusCode.Error : StatusCode.Unset;
            span.StatusCode = code;
            span.StatusMessage = statusDescription ?? (code == StatusCode.Error ? error : null) ?? string.Empty;
        }

        private readonly void AddEndpointAttributes(Endpoint endpoint, string addressKey, string portKey, string ipv6Key)
        {
            var address = endpoint.Ipv4 ?? endpoint.Ipv6;
            if (address is { Length: > 0 }) _scratch.KeyValues.Add(new KeyValue(addressKey, address));
            if (endpoint.Port > 0) _scratch.KeyValues.Add(new KeyValue(portKey, endpoint.Port));
            if (endpoint.Ipv4 is not null && endpoint.Ipv6 is { Length: > 0 }) _scratch.KeyValues.Add(new KeyValue(ipv6Key, endpoint.Ipv6));
        }

        private Resource ResourceFor(string? serviceName)
        {
            if (string.IsNullOrEmpty(serviceName))
                return _unknownServiceResource ??= new Resource([]);
            if (!_resources.TryGetValue(serviceName, out var resource))
            {
                resource = new Resource([new KeyValue(ServiceName, serviceName)]);
                _resources.Add(serviceName, resource);
            }
            return resource;
        }

        private readonly InstrumentationScope ScopeFor(Resource resource, string name, string version)
        {
            if (name.Length == 0 && version.Length == 0) return InstrumentationScope.Empty;
            if (!_scopes.TryGetValue((resource, name, version), out var scope))
            {
                scope = new InstrumentationScope(name, version);
                _scopes.Add((resource, name, version), scope);
            }
            return scope;
        }

        private Endpoint ParseEndpoint(string what)
        {
            if (_reader.TokenType != JsonTokenType.StartObject) ThrowExpected(what, "an object");
            var endpoint = default(Endpoint);
            while (NextProperty(out var property))
            {
                if (property.SequenceEqual("serviceName"u8)) endpoint.ServiceName = ReadString(what + ".serviceName");
                else if (property.SequenceEqual("ipv4"u8)) endpoint.Ipv4 = NullIfEmpty(ReadString(what + ".ipv4"));
                else if (property.SequenceEqual("ipv6"u8)) endpoint.Ipv6 = NullIfEmpty(ReadString(what + ".ipv6"));
                else if (property.SequenceEqual("port"u8))
                {
                    if (!JsonScalars.TryReadUInt32(ref _reader, out var port) || port > ushort.MaxValue) ThrowExpected(what + ".port", "a port number 0-65535");
                    endpoint.Port = (int)port;
                }
                else
                {
                    _reader.Skip();
                }
            }
            return endpoint;
        }

        private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

        private void ParseAnnotations()
        {
            if (_reader.TokenType != JsonTokenType.StartArray) ThrowExpected("annotations", "an array");
            while (true)
            {
                Advance();
                if (_reader.TokenType == JsonTokenType.EndArray) return;
                if (_reader.TokenType != JsonTokenType.StartObject) ThrowExpected("an annotation", "an object");
                ulong timestamp = 0;
                var value = string.Empty;
                while (NextProperty(out var property))
                {
                    if (property.SequenceEqual("timestamp"u8)) timestamp = ReadMicroseconds("annotations[].timestamp");
                    else if (property.SequenceEqual("value"u8)) value = ReadString("annotations[].value");
                    else _reader.Skip();
                }
                _scratch.Events.Add(new SpanEvent(timestamp * 1000, value, []));
            }
        }

        private static SpanKind ParseKind(string kind) => kind.ToUpperInvariant() switch
        {
            "CLIENT" => SpanKind.Client,
            "SERVER" => SpanKind.Server,
            "PRODUCER" => SpanKind.Producer,
            "CONSUMER" => SpanKind.Consumer,
            _ => SpanKind.Unspecified,
        };

        private static bool IsBlank(ReadOnlySpan<byte> input) => input.Trim(" \t\r\n"u8).IsEmpty;

        private ulong ReadMicroseconds(string what)
        {
            if (!JsonScalars.TryReadUInt64(ref _reader, out var value)) ThrowExpected(what, "a non-negative integer number of microseconds");
            if (value > ulong.MaxValue / 1000) Throw($"{what} {value} is too large to be microseconds since the Unix epoch");
            return value;
        }

        private bool ReadBool(string what)
        {
            if (_reader.TokenType is not (JsonTokenType.True or JsonTokenType.False)) ThrowExpected(what, "true or false");
            return _reader.TokenType == JsonTokenType.True;
        }

        private string ReadTagValue(string key)
        {
            switch (_reader.TokenType)
            {
                case JsonTokenType.String:
                    return ReadString("tags." + key);
                case JsonTokenType.Number:
                case JsonTokenType.True:
                case JsonTokenType.False:
                    // Not allowed by the Zipkin model, but some clients send them; keep the literal text.
                    return System.Text.Encoding.UTF8.GetString(_reader.ValueSpan);
                default:
                    ThrowExpected("tags." + key, "a string");
                    return string.Empty;
            }
        }

        private string ReadPropertyName(ReadOnlySpan<byte> name)
        {
            if (!_scratch.Strings.TryGetString(name, out var value)) Throw("a tag key is not valid UTF-8");
            return value;
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

        /// <summary>Next property of the current object, positioned on its value; null values count as absent.</summary>
        private bool NextProperty(out ReadOnlySpan<byte> name)
        {
            var step = JsonScalars.NextProperty(ref _reader, out name);
            if (step == JsonStep.EndOfData) Throw(EndOfDataProblem);
            if (step == JsonStep.InvalidName) Throw(InvalidNameProblem);
            return step == JsonStep.Property;
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
            var where = _spanIndex < 0 ? "$" : string.Create(CultureInfo.InvariantCulture, $"span {_spanIndex}");
            throw new ProtocolException($"Invalid Zipkin v2 JSON at {JsonLocation.Of(_input, _reader.TokenStartIndex)} (in {where}): {problem}.");
        }
    }
}
