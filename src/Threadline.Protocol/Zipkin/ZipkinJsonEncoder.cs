using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Threadline.Core.Model;
using static Threadline.Protocol.Zipkin.ZipkinConventions;

namespace Threadline.Protocol.Zipkin;

/// <summary>Encodes Core spans as a Zipkin v2 JSON span list.</summary>
/// <remarks>
/// The inverse of <see cref="ZipkinJsonDecoder"/> for what Zipkin can represent. Times are
/// truncated to microseconds. Lost on the way: resource attributes other than service.name,
/// scope attributes, event attributes, links, trace state, flags, dropped counts and the
/// Internal kind (Zipkin has no kind for it). Non-string attributes become tags holding their
/// text. A span without a service.name is written with "unknown_service", as OpenTelemetry does.
/// </remarks>
public static class ZipkinJsonEncoder
{
    public static byte[] Encode(IReadOnlyList<Span> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        var buffer = new ArrayBufferWriter<byte>(64 + spans.Count * 512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            for (var i = 0; i < spans.Count; i++)
                WriteSpan(writer, spans[i] ?? throw new ArgumentException($"spans[{i}] is null.", nameof(spans)));
            writer.WriteEndArray();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteSpan(Utf8JsonWriter writer, Span span)
    {
        writer.WriteStartObject();
        Span<char> hex = stackalloc char[TraceId.HexLength];
        span.TraceId.TryFormat(hex, out _, default, null);
        // 64-bit trace ids (High = 0) go back out in their 16-digit form.
        writer.WriteString("traceId", span.TraceId.High == 0 ? hex[16..] : hex);
        if (!span.ParentSpanId.IsEmpty)
        {
            span.ParentSpanId.TryFormat(hex, out _, default, null);
            writer.WriteString("parentId", hex[..SpanId.HexLength]);
        }
        span.SpanId.TryFormat(hex, out _, default, null);
        writer.WriteString("id", hex[..SpanId.HexLength]);
        var kind = span.Kind switch
        {
            SpanKind.Client => "CLIENT",
            SpanKind.Server => "SERVER",
            SpanKind.Producer => "PRODUCER",
            SpanKind.Consumer => "CONSUMER",
            _ => null,
        };
        if (kind is not null) writer.WriteString("kind", kind);
        if (span.Name.Length > 0) writer.WriteString("name", span.Name);
        if (span.StartTimeUnixNano > 0) writer.WriteNumber("timestamp", span.StartTimeUnixNano / 1000);
        var duration = span.DurationNanos / 1000;
        if (duration > 0) writer.WriteNumber("duration", duration);

        var endpoints = EndpointAttributes.From(span.Attributes);
        writer.WriteStartObject("localEndpoint");
        writer.WriteString("serviceName", span.Resource.ServiceName);
        WriteAddress(writer, endpoints.LocalAddress, endpoints.LocalIpv6, endpoints.LocalPort);
        writer.WriteEndObject();
        if (endpoints.PeerService is not null || endpoints.PeerAddress is not null || endpoints.PeerIpv6 is not null || endpoints.PeerPort > 0)
        {
            writer.WriteStartObject("remoteEndpoint");
            if (endpoints.PeerService is not null) writer.WriteString("serviceName", endpoints.PeerService);
            WriteAddress(writer, endpoints.PeerAddress, endpoints.PeerIpv6, endpoints.PeerPort);
            writer.WriteEndObject();
        }

        if (span.Events.Length > 0)
        {
            writer.WriteStartArray("annotations");
            foreach (var spanEvent in span.Events)
            {
                writer.WriteStartObject();
                writer.WriteNumber("timestamp", spanEvent.TimeUnixNano / 1000);
                writer.WriteString("value", spanEvent.Name);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }

        writer.WriteStartObject("tags");
        foreach (var attribute in span.Attributes)
        {
            if (!EndpointAttributes.IsMapped(attribute))
                writer.WriteString(attribute.Key, attribute.Value.ToString());
        }
        if (span.Scope.Name.Length > 0) writer.WriteString(ScopeNameTag, span.Scope.Name);
        if (span.Scope.Version.Length > 0) writer.WriteString(ScopeVersionTag, span.Scope.Version);
        switch (span.Status.Code)
        {
            case StatusCode.Ok:
                writer.WriteString(StatusCodeTag, "OK");
                if (!string.IsNullOrEmpty(span.Status.Message)) writer.WriteString(StatusDescriptionTag, span.Status.Message);
                break;
            case StatusCode.Error:
                writer.WriteString(StatusCodeTag, "ERROR");
                writer.WriteString(ErrorTag, span.Status.Message ?? string.Empty);
                break;
            default:
                if (!string.IsNullOrEmpty(span.Status.Message)) writer.WriteString(StatusDescriptionTag, span.Status.Message);
                break;
        }
        writer.WriteEndObject();

        if (endpoints.Debug) writer.WriteBoolean("debug", true);
        if (endpoints.Shared) writer.WriteBoolean("shared", true);
        writer.WriteEndObject();
    }

    private static void WriteAddress(Utf8JsonWriter writer, string? address, string? ipv6, int port)
    {
        if (address is not null)
            writer.WriteString(IsIpv6(address) ? "ipv6" : "ipv4", address);
        if (ipv6 is not null) writer.WriteString("ipv6", ipv6);
        if (port > 0) writer.WriteNumber("port", port);
    }

    private static bool IsIpv6(string address) => IPAddress.TryParse(address, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>The attributes that go back into Zipkin endpoint fields and flags rather than tags.</summary>
    private sealed class EndpointAttributes
    {
        public string? LocalAddress { get; private set; }
        public string? LocalIpv6 { get; private set; }
        public int LocalPort { get; private set; }
        public string? PeerService { get; private set; }
        public string? PeerAddress { get; private set; }
        public string? PeerIpv6 { get; private set; }
        public int PeerPort { get; private set; }
        public bool Shared { get; private set; }
        public bool Debug { get; private set; }

        public static EndpointAttributes From(KeyValue[] attributes)
        {
            var result = new EndpointAttributes();
            foreach (var attribute in attributes)
            {
                var value = attribute.Value;
                switch (attribute.Key)
                {
                    case ZipkinConventions.LocalAddress when IsAddress(value): result.LocalAddress = value.AsString(); break;
                    case ZipkinConventions.LocalIpv6 when IsAddress(value): result.LocalIpv6 = value.AsString(); break;
                    case ZipkinConventions.LocalPort when IsPort(value): result.LocalPort = (int)value.AsInt(); break;
                    case ZipkinConventions.PeerService when value.Type == AttributeType.String: result.PeerService = value.AsString(); break;
                    case ZipkinConventions.PeerAddress when IsAddress(value): result.PeerAddress = value.AsString(); break;
                    case ZipkinConventions.PeerIpv6 when IsAddress(value): result.PeerIpv6 = value.AsString(); break;
                    case ZipkinConventions.PeerPort when IsPort(value): result.PeerPort = (int)value.AsInt(); break;
                    case ZipkinConventions.Shared when value.Type == AttributeType.Bool: result.Shared = value.AsBool(); break;
                    case ZipkinConventions.Debug when value.Type == AttributeType.Bool: result.Debug = value.AsBool(); break;
                }
            }
            return result;
        }

        /// <summary>Whether <see cref="From"/> took this attribute into an endpoint or flag (so it is not also a tag).</summary>
        public static bool IsMapped(KeyValue attribute) => attribute.Key switch
        {
            ZipkinConventions.LocalAddress or ZipkinConventions.LocalIpv6 or ZipkinConventions.PeerAddress or ZipkinConventions.PeerIpv6 => IsAddress(attribute.Value),
            ZipkinConventions.LocalPort or ZipkinConventions.PeerPort => IsPort(attribute.Value),
            ZipkinConventions.PeerService => attribute.Value.Type == AttributeType.String,
            ZipkinConventions.Shared or ZipkinConventions.Debug => attribute.Value.Type == AttributeType.Bool,
            _ => false,
        };

        /// <summary>Zipkin endpoints hold IP literals only; a host name stays a tag.</summary>
        private static bool IsAddress(AttributeValue value) => value.Type == AttributeType.String && IPAddress.TryParse(value.AsString(), out _);

        private static bool IsPort(AttributeValue value) => value.Type == AttributeType.Int && value.AsInt() is > 0 and <= ushort.MaxValue;
    }
}
