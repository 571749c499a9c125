using System.Diagnostics.Metrics;

namespace Threadline.Pipeline.Ingest;

/// <summary>
/// <c>threadline_receiver_requests_total{protocol,outcome}</c> and
/// <c>threadline_receiver_spans_total{protocol,outcome}</c>: what each receiver was sent and what
/// became of it, including requests refused before any span was decoded, so that nothing is
/// dropped silently.
/// </summary>
public sealed class ReceiverMetrics
{
    /// <summary>OTLP over gRPC.</summary>
    public const string OtlpGrpc = "otlp_grpc";

    /// <summary>OTLP over HTTP.</summary>
    public const string OtlpHttp = "otlp_http";

    /// <summary>Zipkin v2 JSON.</summary>
    public const string Zipkin = "zipkin";

    /// <summary>A request that reached no receiver (sent to the wrong port or path).</summary>
    public const string Unknown = "unknown";

    /// <summary>Outcome of a request sent to a port or path that takes no spans.</summary>
    public const string WrongPort = "wrong_port";

    private readonly Counter<long>? _requests;
    private readonly Counter<long>? _spans;

    /// <param name="meter">Where the counters are reported; counts are not kept when null.</param>
    public ReceiverMetrics(Meter? meter)
    {
        _requests = meter?.CreateCounter<long>("threadline_receiver_requests", "{request}", "Export requests received, by protocol and outcome.");
        _spans = meter?.CreateCounter<long>("threadline_receiver_spans", "{span}", "Spans received, by protocol and outcome.");
    }

    /// <summary>Counts one request of <paramref name="protocol"/> that ended in <paramref name="outcome"/>.</summary>
    public void Request(string protocol, string outcome) =>
        _requests?.Add(1, new("protocol", protocol), new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>Counts <paramref name="count"/> spans of <paramref name="protocol"/> that ended in <paramref name="outcome"/>.</summary>
    public void Spans(string protocol, string outcome, long count)
    {
        if (count > 0) _spans?.Add(count, new("protocol", protocol), new KeyValuePair<string, object?>("outcome", outcome));
    }
}
