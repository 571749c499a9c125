using Threadline.Cli.Load;
using Threadline.Core.Model;
using Threadline.Protocol;
using Threadline.Protocol.Otlp;

namespace Threadline.Cli.Tests;

/// <summary>
/// loadgen patches fresh trace ids into pre-encoded bodies: every body must still decode, and no
/// two requests may share a trace, or the store would merge them and the load would not be real.
/// </summary>
public sealed class LoadRequestFactoryTests
{
    [Fact]
    public void Every_request_decodes_to_the_requested_spans_in_traces_of_ten()
    {
        var factory = new LoadRequestFactory(spansPerRequest: 100);

        var decoded = OtlpProtobufDecoder.DecodeExportRequest(factory.NextBody(), DecodeLimits.Default);

        Assert.Equal(0, decoded.RejectedSpans);
        Assert.Equal(100, decoded.Spans.Count);
        Assert.All(decoded.Spans.GroupBy(s => s.TraceId), trace => Assert.Equal(10, trace.Count()));
        Assert.All(decoded.Spans, span => Assert.Equal(11, span.Attributes.Length));
        Assert.All(decoded.Spans, span => Assert.Equal(2, span.Events.Length));
    }

    [Fact]
    public void No_two_requests_share_a_trace_even_when_they_reuse_a_template()
    {
        var factory = new LoadRequestFactory(spansPerRequest: 20);
        var seen = new HashSet<TraceId>();

        // More requests than templates, so every template is reused several times.
        for (var request = 0; request < 100; request++)
        {
            var traces = OtlpProtobufDecoder.DecodeExportRequest(factory.NextBody(), DecodeLimits.Default).Spans
                .Select(s => s.TraceId).Distinct().ToList();
            Assert.Equal(2, traces.Count);
            Assert.All(traces, traceId => Assert.True(seen.Add(traceId), $"trace {traceId} was sent twice"));
        }
    }
}
