using Threadline.Core.Analysis.Triage;
using Threadline.Core.Model;
using Threadline.Query.Analysis;
using Threadline.Query.TraceQL;
using Threadline.Storage.Memory;

namespace Threadline.Query.Tests.Analysis;

/// <summary>
/// Triage through the store: a checkout service with 100 failed and 1,000 successful payments in
/// one minute (<c>payment.method=amex</c> on 90 % of the failures and 3 % of the rest), 550
/// payments without the planted card the minute before, and another service's spans in the same
/// minute that must never be counted.
/// </summary>
public sealed class TriageServiceTests
{
    private const ulong Minute = 60_000_000_000;
    private const ulong Start = 1_764_547_200_000_000_000; // 2025-12-01T00:00:00Z

    [Fact]
    public async Task Error_spans_against_the_rest_rank_the_planted_card_first_with_exact_percentages()
    {
        var service = new TriageService(await PlantedStoreAsync(), new TraceQLOptions());

        var answer = await service.TriageAsync(Request(new TriageSelection.Errors()), CancellationToken.None);

        var result = answer.Result;
        Assert.Equal((100L, 1000L), (result.SelectionSpanCount, result.BaselineSpanCount));
        var top = result.Attributes[0];
        Assert.Equal((TriageScope.Span, "payment.method", "amex", 90L, 30L), (top.Scope, top.Key, top.Value.ToString(), top.SelectionCount, top.BaselineCount));
        Assert.Equal((90.0, 3.0), (Math.Round(top.SelectionPercent, 9), Math.Round(top.BaselinePercent, 9)));
        Assert.Equal("error spans of checkout", answer.SelectionDescription);
        Assert.Equal("other spans of checkout", answer.BaselineDescription);
        Assert.False(answer.Truncated);
        Assert.Equal(1100, answer.SpansExamined);
        // The other service's spans share the minute but not the service.
        Assert.DoesNotContain(result.Attributes, a => a.Value.ToString() == "search");
    }

    [Fact]
    public async Task Every_ranked_value_comes_with_a_TraceQL_query_that_finds_exactly_its_selected_and_baseline_spans()
    {
        var store = await PlantedStoreAsync();
        var answer = await new TriageService(store, new TraceQLOptions()).TriageAsync(Request(new TriageSelection.Errors()), CancellationToken.None);
        var engine = new TraceQLEngine(store, new TraceQLOptions(), TimeProvider.System);

        Assert.NotEmpty(answer.Result.Attributes);
        foreach (var attribute in answer.Result.Attributes)
        {
            var query = TriageTraceQL.Of(attribute);
            var service = query[..^1] + "&& resource.service.name = \"checkout\" }";
            var found = await engine.SearchAsync(new TraceQLSearchRequest { Query = service, StartUnixNano = Start, EndUnixNano = Start + Minute, Limit = 1000, SpansPerSpanset = 100 }, CancellationToken.None);
            Assert.Equal(attribute.SelectionCount + attribute.BaselineCount, found.Traces.Sum(t => t.Spansets.Sum(s => s.Matched)));
        }
    }

    [Fact]
    public async Task Slow_spans_are_those_at_least_the_threshold_long()
    {
        var service = new TriageService(await PlantedStoreAsync(), new TraceQLOptions());

        // Failed payments take 300 ms, the rest 100 ms.
        var answer = await service.TriageAsync(Request(new TriageSelection.Slow(300_000_000)), CancellationToken.None);

        Assert.Equal((100L, 1000L), (answer.Result.SelectionSpanCount, answer.Result.BaselineSpanCount));
        Assert.Equal("spans of checkout lasting at least 300ms", answer.SelectionDescription);
        Assert.Equal("payment.method", answer.Result.Attributes[0].Key);
    }

    [Fact]
    public async Task A_TraceQL_selection_is_tested_span_by_span_on_the_fetched_fields()
    {
        var service = new TriageService(await PlantedStoreAsync(), new TraceQLOptions());
        Assert.True(TriageQueryParser.TryParseSelection("{ span.http.response.status_code >= 500 }", new TraceQLOptions(), out var selection, out _));

        var answer = await service.TriageAsync(Request(selection), CancellationToken.None);

        Assert.Equal((100L, 1000L), (answer.Result.SelectionSpanCount, answer.Result.BaselineSpanCount));
        Assert.Equal("payment.method", answer.Result.Attributes[0].Key);
        Assert.Contains(answer.Result.Attributes, a => (a.Key, a.Value.ToString(), a.SelectionPercent) == ("http.response.status_code", "503", 50.0));
    }

    [Fact]
    public async Task The_previous_baseline_is_the_same_selection_over_the_window_before()
    {
        var service = new TriageService(await PlantedStoreAsync(), new TraceQLOptions());

        var answer = await service.TriageAsync(Request(new TriageSelection.Errors()) with { Baseline = TriageBaseline.Previous }, CancellationToken.None);

        // The minute before held 50 failed payments, none with the planted card.
        Assert.Equal((100L, 50L), (answer.Result.SelectionSpanCount, answer.Result.BaselineSpanCount));
        var top = answer.Result.Attributes[0];
        Assert.Equal(("payment.method", "amex", 90.0, 0.0), (top.Key, top.Value.ToString(), Math.Round(top.SelectionPercent, 9), top.BaselinePercent));
        Assert.Equal("error spans of checkout in the previous 1m", answer.BaselineDescription);
    }

    [Fact]
    public async Task An_operation_narrows_both_populations_to_spans_of_that_name()
    {
        var service = new TriageService(await PlantedStoreAsync(), new TraceQLOptions());

        var answer = await service.TriageAsync(Request(new TriageSelection.Errors()) with { Service = null, Operation = "POST /pay" }, CancellationToken.None);

        // The search service's failed spans are named otherwise.
        Assert.Equal((100L, 1000L), (answer.Result.SelectionSpanCount, answer.Result.BaselineSpanCount));
        Assert.Equal("error spans named \"POST /pay\"", answer.SelectionDescription);
        Assert.DoesNotContain(answer.Result.Attributes, a => a.Value.ToString() is "search" or "SELECT cards");
    }

    [Fact]
    public async Task The_span_cap_stops_the_scan_and_says_so()
    {
        var service = new TriageService(await PlantedStoreAsync(), new TraceQLOptions(), maxSpansExamined: 500);

        var answer = await service.TriageAsync(Request(new TriageSelection.Errors()), CancellationToken.None);

        Assert.True(answer.Truncated);
        Assert.Equal(500, answer.SpansExamined);
        Assert.Equal(500, answer.Result.SelectionSpanCount + answer.Result.BaselineSpanCount);
    }

    private static TriageRequest Request(TriageSelection selection) => new()
    {
        Selection = selection,
        Service = "checkout",
        StartUnixNano = Start,
        EndUnixNano = Start + Minute,
    };

    internal static async Task<MemoryTraceStore> PlantedStoreAsync()
    {
        var store = new MemoryTraceStore();
        var spans = new List<Span>();
        var checkout = new Resource([new("service.name", "checkout")]);
        var search = new Resource([new("service.name", "search")]);
        for (var i = 0; i < 1100; i++)
        {
            var failed = i < 100;
            var amex = failed ? i < 90 : i - 100 < 30;
            var at = Start + ((ulong)i * 50_000_000);
            spans.Add(Payment(i, at, checkout, failed, amex ? "amex" : "visa"));
            spans.Add(Payment(10_000 + i, at, search, failed: true, "amex", name: "SELECT cards"));
        }
        // The minute before: 50 failed payments with other cards, 500 successful ones.
        for (var i = 0; i < 550; i++) spans.Add(Payment(20_000 + i, Start - Minute + ((ulong)i * 100_000_000), checkout, failed: i < 50, "visa"));
        await store.AppendAsync(spans, CancellationToken.None);
        return store;
    }

    private static Span Payment(int n, ulong start, Resource resource, bool failed, string card, string name = "POST /pay") => new()
    {
        TraceId = TraceId.FromBytes(BitConverter.GetBytes((long)n + 1).Concat(new byte[8]).ToArray()),
        SpanId = new SpanId((ulong)n + 1),
        Name = name,
        Kind = SpanKind.Server,
        Resource = resource,
        StartTimeUnixNano = start,
        EndTimeUnixNano = start + (failed ? 300_000_000UL : 100_000_000UL),
        Status = new SpanStatus(failed ? StatusCode.Error : StatusCode.Ok, failed ? "payment failed" : string.Empty),
        Attributes =
        [
            new("payment.method", card),
            // Half the failures answer 502, half 503: each separates less than the planted card.
            new("http.response.status_code", failed ? 502 + (n % 2) : 200),
            new("user.id", $"user-{n:D6}"),
        ],
    };
}
