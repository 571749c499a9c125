using Threadline.Pipeline.Limits;

namespace Threadline.Server.Options;

/// <summary>
/// Everything <c>threadline serve</c> can be told, bound from the <c>Threadline</c> configuration
/// section (a JSON file, <c>THREADLINE_</c> environment variables, command-line flags) and checked
/// by <see cref="ThreadlineOptionsValidator"/> before anything listens.
/// </summary>
public sealed class ThreadlineOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Threadline";

    /// <summary>
    /// The IP address every listener binds to. <c>127.0.0.1</c> keeps the server private to this
    /// machine; <c>0.0.0.0</c> (or <c>::</c>) exposes it on every interface.
    /// </summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>The span receivers (OTLP gRPC, OTLP HTTP, Zipkin).</summary>
    public ReceiverOptions Receivers { get; set; } = new();

    /// <summary>The query API and UI listener.</summary>
    public ApiOptions Api { get; set; } = new();

    /// <summary>The Tempo-compatible API listener (Grafana's Tempo data source).</summary>
    public TempoOptions Tempo { get; set; } = new();

    /// <summary>The queue between the receivers and the store.</summary>
    public IngestOptions Ingest { get; set; } = new();

    /// <summary>Which storage engine keeps the spans, and its settings.</summary>
    public StorageOptions Storage { get; set; } = new();

    /// <summary>What one span and one trace may carry; past it values are truncated and items dropped, and counted.</summary>
    public SpanLimitsOptions Limits { get; set; } = new();

    /// <summary>Tail-based sampling between the queue and the store; off unless a policy file is given.</summary>
    public TailSamplingOptions TailSampling { get; set; } = new();
}
