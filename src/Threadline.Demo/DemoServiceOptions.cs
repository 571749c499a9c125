using Threadline.Sdk.Export.Otlp;

namespace Threadline.Demo;

/// <summary>How one demo service process runs: its port, where it exports spans, where its peers are.</summary>
public sealed class DemoServiceOptions
{
    /// <summary>Where spans go when nothing else is said: a <c>threadline serve</c> on this machine.</summary>
    public static readonly Uri DefaultOtlpEndpoint = new("http://127.0.0.1:4317");

    /// <summary>The HTTP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>notification-service only: the loopback queue's TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int QueuePort { get; set; }

    /// <summary>The OTLP endpoint spans are exported to. It may be on any host; the demo's own traffic stays on 127.0.0.1.</summary>
    public Uri OtlpEndpoint { get; set; } = DefaultOtlpEndpoint;

    /// <summary>The OTLP transport. Default gRPC, which <see cref="DefaultOtlpEndpoint"/> speaks.</summary>
    public OtlpExportProtocol OtlpProtocol { get; set; } = OtlpExportProtocol.Grpc;

    /// <summary>
    /// Where the other services are, by name: a service name (<c>order-service</c>, …, <c>third-party</c>)
    /// maps to its HTTP base address, <see cref="DemoEndpointNames.NotificationQueue"/> to the queue's
    /// <c>tcp://127.0.0.1:port</c>. Every address must be on this machine.
    /// </summary>
    public IDictionary<string, Uri> Peers { get; } = new Dictionary<string, Uri>(StringComparer.Ordinal);

    /// <summary>
    /// Run under <see cref="DemoLauncher"/>: report the bound endpoints on standard output, read the
    /// peers from standard input, and stop when standard input closes (so a child never outlives its
    /// launcher, even one that was killed).
    /// </summary>
    public bool Supervised { get; set; }
}
