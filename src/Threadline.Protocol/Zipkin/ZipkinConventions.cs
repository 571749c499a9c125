namespace Threadline.Protocol.Zipkin;

/// <summary>
/// How Zipkin v2 fields map onto OpenTelemetry attributes, shared by the decoder and encoder so
/// that the two stay inverse of each other.
/// </summary>
/// <remarks>
/// The remote endpoint uses the semantic-convention names (peer.service, network.peer.address,
/// network.peer.port). The local endpoint's address and port become span attributes too
/// (network.local.address / network.local.port) rather than resource attributes, so that spans
/// of one service still share a single Resource even when they come from several instances.
/// Zipkin-only facts without a convention ("shared", "debug", a second address when an endpoint
/// has both IPv4 and IPv6) are kept as zipkin.* attributes so that nothing received is lost.
/// </remarks>
internal static class ZipkinConventions
{
    public const string ServiceName = "service.name";
    public const string PeerService = "peer.service";
    public const string PeerAddress = "network.peer.address";
    public const string PeerPort = "network.peer.port";
    public const string LocalAddress = "network.local.address";
    public const string LocalPort = "network.local.port";
    public const string PeerIpv6 = "zipkin.remote_endpoint.ipv6";
    public const string LocalIpv6 = "zipkin.local_endpoint.ipv6";
    public const string Shared = "zipkin.shared";
    public const string Debug = "zipkin.debug";

    public const string ErrorTag = "error";
    public const string StatusCodeTag = "otel.status_code";
    public const string StatusDescriptionTag = "otel.status_description";
    public const string ScopeNameTag = "otel.scope.name";
    public const string ScopeVersionTag = "otel.scope.version";

    /// <summary>The names older OpenTelemetry exporters used before "scope" replaced "library".</summary>
    public const string LegacyScopeNameTag = "otel.library.name";
    public const string LegacyScopeVersionTag = "otel.library.version";
}
