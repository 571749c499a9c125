using Threadline.Core.Analysis.Naming;
using Threadline.Core.Model;
using Threadline.Pipeline.Stages;

namespace Threadline.Pipeline.Tests;

public sealed class NamingHealthObserverTests
{
    private static Span[] Named(int count, string prefix) =>
        [.. Spans.Batch(count).Select((s, i) => new Span
        {
            TraceId = s.TraceId,
            SpanId = s.SpanId,
            Name = prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Kind = s.Kind,
            StartTimeUnixNano = s.StartTimeUnixNano,
            EndTimeUnixNano = s.EndTimeUnixNano,
            Resource = s.Resource,
        })];

    [Fact]
    public async Task Passes_each_batch_on_unchanged_and_shows_the_accepted_ones_to_the_detector()
    {
        var next = new RecordingStage();
        var detector = new NamingHealthDetector();
        var observer = new NamingHealthObserver(next, detector);
        var batch = Named(25, "GET /cart/");

        await observer.ConsumeAsync(batch, CancellationToken.None);

        Assert.Same(batch, Assert.Single(next.Batches));
        var finding = Assert.Single(Assert.Single(detector.Report()).Findings);
        Assert.Equal(("GET /cart/{id}", 25L), (finding.SuggestedName, finding.DistinctNames));
    }

    [Fact]
    public async Task A_batch_the_next_stage_refuses_is_not_counted()
    {
        var next = new RecordingStage { Failure = new IOException("disk full") };
        var detector = new NamingHealthDetector();
        var observer = new NamingHealthObserver(next, detector);

        await Assert.ThrowsAsync<IOException>(async () => await observer.ConsumeAsync(Named(25, "GET /cart/"), CancellationToken.None));

        Assert.Equal(0, Assert.Single(detector.Report("checkout")).DistinctNames);
    }
}
