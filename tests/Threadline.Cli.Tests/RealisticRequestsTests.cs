using Threadline.Cli.Load;
using Threadline.Core.Model;
using Threadline.Protocol;
using Threadline.Protocol.Otlp;

namespace Threadline.Cli.Tests;

/// <summary>
/// loadgen's realistic bodies: whole traces that decode, about the size of Tempo's anchor data
/// (503 B/span as OTLP), a stop at the span total, and the same data whether a server gets it
/// in one stream or as a pregenerated part and the rest.
/// </summary>
public sealed class RealisticRequestsTests
{
    private static readonly RealisticDataSettings Data = new(Seed: 4, FirstTraceStartUnixNano: 1_764_547_200_000_000_000, MeanTraceIntervalNanos: 1_000_000);

    [Fact]
    public void Bodies_decode_to_whole_traces_of_about_500_bytes_a_span()
    {
        var requests = new RealisticRequests(Data, spansPerRequest: 100, totalSpans: 50_000);
        long spans = 0, bytes = 0;
        while (requests.Next() is { } request)
        {
            var decoded = OtlpProtobufDecoder.DecodeExportRequest(request.Body, DecodeLimits.Default);
            Assert.Equal(0, decoded.RejectedSpans);
            Assert.Equal(request.Spans, decoded.Spans.Count);
            Assert.All(decoded.Spans.GroupBy(s => s.TraceId), trace => Assert.Single(trace, s => s.IsRoot));
            var probe = Assert.IsType<TraceProbe>(request.Probe);
            Assert.Contains(decoded.Spans, s => s.IsRoot && s.TraceId == probe.TraceId);
            spans += request.Spans;
            bytes += request.Body.Length;
        }

        Assert.InRange(spans, 50_000, 50_000 + 59);
        Assert.InRange(bytes / (double)spans, 400, 600);
    }

    [Fact]
    public void A_pregenerated_part_and_the_skipped_rest_are_the_same_data_as_one_stream()
    {
        var whole = Ids(new RealisticRequests(Data, 100, 5_000));

        var pregenerated = PregeneratedRequests.Take(new RealisticRequests(Data, 100, 5_000), 2_000);
        var rest = new RealisticRequests(Data, 100, 5_000);
        rest.Skip(pregenerated.Sum(r => r.Spans));
        var parts = pregenerated.SelectMany(r => SpanIds(r.Body)).Concat(Ids(rest)).ToList();

        Assert.Equal(whole, parts);
    }

    private static List<SpanId> Ids(ILoadRequestSource source)
    {
        var ids = new List<SpanId>();
        while (source.Next() is { } request) ids.AddRange(SpanIds(request.Body));
        return ids;
    }

    private static IEnumerable<SpanId> SpanIds(byte[] body) =>
        OtlpProtobufDecoder.DecodeExportRequest(body, DecodeLimits.Default).Spans.Select(s => s.SpanId).Order();
}
