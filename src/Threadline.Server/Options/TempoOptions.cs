namespace Threadline.Server.Options;

/// <summary>The listener for the Tempo-compatible API (Grafana's Tempo data source), HTTP and gRPC on one port.</summary>
public sealed class TempoOptions
{
    /// <summary>The Tempo API port, Tempo's own default. 0 picks a free port.</summary>
    public int Port { get; set; } = 3200;
}
