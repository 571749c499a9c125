using Threadline.Core.Model;
using Threadline.Core.Synthetic;

namespace Threadline.Core.Tests.Synthetic;

/// <summary>
/// The realistic generator feeds storage figures and benchmarks: it must repeat exactly for a
/// seed, never reuse an id or a start time, and build trees a tracing UI would draw.
/// </summary>
public sealed class RealisticTraceGeneratorTests
{
    private const ulong Start = 1_764_547_200_000_000_000; // 2025-12-01T00:00:00Z

    [Fact]
    public void The_same_seed_gives_the_same_traces_span_for_span()
    {
        var first = Generate(seed: 7, traces: 300);
        var second = Generate(seed: 7, traces: 300);

        Assert.Equal(first.Count, second.Count);
        for (var i = 0; i < first.Count; i++)
        {
            var (a, b) = (first[i], second[i]);
            Assert.Equal((a.TraceId, a.SpanId, a.ParentSpanId, a.Name, a.Kind, a.StartTimeUnixNano, a.EndTimeUnixNano, a.Status),
                (b.TraceId, b.SpanId, b.ParentSpanId, b.Name, b.Kind, b.StartTimeUnixNano, b.EndTimeUnixNano, b.Status));
            Assert.Equal(a.Attributes, b.Attributes);
            Assert.Equal(a.Resource.Attributes, b.Resource.Attributes);
            Assert.Equal(a.Events.Select(e => (e.Name, e.TimeUnixNano)), b.Events.Select(e => (e.Name, e.TimeUnixNano)));
        }
    }

    [Fact]
    public void Another_seed_gives_other_traces()
    {
        var first = Generate(seed: 7, traces: 10);
        var second = Generate(seed: 8, traces: 10);

        Assert.Empty(first.Select(s => s.TraceId).Intersect(second.Select(s => s.TraceId)));
    }

    [Fact]
    public void Trace_ids_span_ids_and_trace_start_times_are_unique()
    {
        var generator = new RealisticTraceGenerator(seed: 11, Start);
        var traces = Enumerable.Range(0, 5_000).Select(_ => generator.NextTrace()).ToList();
        var spans = traces.SelectMany(t => t).ToList();

        Assert.Equal(traces.Count, traces.Select(t => t[0].TraceId).Distinct().Count());
        Assert.All(traces, trace => Assert.Single(trace.Select(s => s.TraceId).Distinct()));
        Assert.Equal(spans.Count, spans.Select(s => s.SpanId).Distinct().Count());
        Assert.DoesNotContain(spans, s => s.SpanId.IsEmpty || s.TraceId.IsEmpty);
        var traceStarts = traces.Select(t => t.Single(s => s.IsRoot).StartTimeUnixNano).ToList();
        Assert.Equal(traceStarts.Count, traceStarts.Distinct().Count());
        Assert.Equal(traceStarts.Order(), traceStarts);
        Assert.Equal(Start, traceStarts[0]);
    }

    [Fact]
    public void Every_trace_is_one_tree_with_children_inside_their_parents_time()
    {
        var generator = new RealisticTraceGenerator(seed: 3, Start);
        for (var t = 0; t < 2_000; t++)
        {
            var trace = generator.NextTrace();
            Assert.InRange(trace.Length, 1, RealisticTraceGenerator.MaxSpansPerTrace);
            var root = Assert.Single(trace, s => s.IsRoot);
            Assert.Equal(SpanKind.Server, root.Kind);
            Assert.Equal("api-gateway", root.ServiceName);
            var byId = trace.ToDictionary(s => s.SpanId);
            foreach (var span in trace)
            {
                Assert.True(span.EndTimeUnixNano > span.StartTimeUnixNano, $"{span.Name} ends before it starts");
                if (span.IsRoot) continue;
                Assert.True(byId.TryGetValue(span.ParentSpanId, out var parent), $"{span.Name}'s parent is not in its trace");
                Assert.True(span.StartTimeUnixNano >= parent!.StartTimeUnixNano, $"{span.Name} starts before its parent");
                // A consumer runs after its producer, on its own time; every other child nests inside its parent.
                if (span.Kind == SpanKind.Consumer)
                {
                    Assert.Equal(SpanKind.Producer, parent.Kind);
                    Assert.True(span.StartTimeUnixNano >= parent.EndTimeUnixNano);
                }
                else
                {
                    Assert.True(span.EndTimeUnixNano <= parent.EndTimeUnixNano, $"{span.Name} ends after its parent {parent.Name}");
                }
                // Calls between services: a SERVER span's parent is the CLIENT span in the caller.
                if (span.Kind == SpanKind.Server)
                {
                    Assert.Equal(SpanKind.Client, parent.Kind);
                    Assert.NotEqual(parent.ServiceName, span.ServiceName);
                }
            }
            Assert.Equal(trace.Length, ReachableFrom(root, trace));
        }
    }

    [Fact]
    public void Data_has_the_variety_storage_and_queries_are_measured_on()
    {
        var spans = Generate(seed: 5, traces: 20_000);
        var traces = spans.GroupBy(s => s.TraceId).ToList();

        Assert.Equal(20, spans.Select(s => s.ServiceName).Distinct().Count());
        Assert.Contains(traces, t => t.Count() == 1);
        Assert.Contains(traces, t => t.Count() >= 40);
        Assert.Contains(spans, s => s.Kind == SpanKind.Producer);
        Assert.Contains(spans, s => s.Kind == SpanKind.Consumer);
        string[] systems = ["postgresql", "sqlite", "redis"];
        Assert.All(systems, system => Assert.Contains(spans, s => Text(s, "db.system.name") == system && Text(s, "db.query.text") is not null));
        Assert.Contains(spans, s => s.TryGetAttribute("http.response.status_code", out var code) && code.AsInt() >= 500);
        Assert.Contains(spans, s => s.Status.Code == StatusCode.Error && s.Events.Any(e => e.Name == "exception" && e.Attributes.Any(a => a.Key == "exception.stacktrace")));
        Assert.Contains(spans, s => s.DurationNanos > 10_000_000);
        Assert.Contains(spans, s => Text(s, "rpc.method") is not null);
        var users = spans.Select(s => Text(s, "user.id")).Where(u => u is not null).Distinct().Count();
        Assert.True(users > 10_000, $"only {users} distinct user.id values");
        var errorRatio = spans.Count(s => s.Status.Code == StatusCode.Error) / (double)spans.Count;
        Assert.InRange(errorRatio, 0.001, 0.05);
    }

    [Fact]
    public void A_batch_holds_whole_traces_and_at_least_the_spans_asked_for()
    {
        var generator = new RealisticTraceGenerator(seed: 1, Start);
        var batch = new List<Span>();

        generator.FillBatch(batch, 100);

        Assert.InRange(batch.Count, 100, 100 + RealisticTraceGenerator.MaxSpansPerTrace - 1);
        Assert.All(batch.GroupBy(s => s.TraceId), trace => Assert.Single(trace, s => s.IsRoot));
        Assert.Equal(batch.Count, generator.SpansGenerated);
    }

    private static List<Span> Generate(int seed, int traces)
    {
        var generator = new RealisticTraceGenerator(seed, Start);
        return Enumerable.Range(0, traces).SelectMany(_ => generator.NextTrace()).ToList();
    }

    private static string? Text(Span span, string key) => span.TryGetAttribute(key, out var value) ? value.ToString() : null;

    private static int ReachableFrom(Span root, Span[] trace)
    {
        var children = trace.Where(s => !s.IsRoot).ToLookup(s => s.ParentSpanId);
        var count = 0;
        var stack = new Stack<Span>([root]);
        while (stack.Count > 0)
        {
            var span = stack.Pop();
            count++;
            foreach (var child in children[span.SpanId]) stack.Push(child);
        }
        return count;
    }
}
