namespace Threadline.Server.Options;

/// <summary>
/// Tail-based sampling (off by default): a policy file in the OpenTelemetry Collector's
/// <c>tail_sampling</c> format (see docs/sampling.md), and, for several nodes, the member list
/// traces are shared out over.
/// </summary>
public sealed class TailSamplingOptions
{
    /// <summary>The policy file (YAML or JSON). Empty (the default) turns tail sampling off.</summary>
    public string PolicyFile { get; set; } = "";

    /// <summary>
    /// The OTLP/HTTP base addresses of every node sampling together, comma-separated, e.g.
    /// <c>http://10.0.0.1:4318,http://10.0.0.2:4318</c>. Each trace is decided on the one node
    /// its id hashes to; the others forward its spans there. Empty for a single node.
    /// </summary>
    public string Members { get; set; } = "";

    /// <summary>This node's own address exactly as it appears in <see cref="Members"/>.</summary>
    public string Self { get; set; } = "";

    /// <summary>How long a forward to another node may take before the batch is refused (503, retryable).</summary>
    public int ForwardTimeoutSeconds { get; set; } = 10;
}
