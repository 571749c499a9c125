using Threadline.Core.Model;
using Threadline.Query.TraceQL;
using Threadline.Query.TraceQL.Ast;
using Threadline.Query.TraceQL.Search;
using Threadline.Storage;
using Threadline.Storage.Memory;

namespace Threadline.Query.Tests.TraceQL;

/// <summary>The scan metrics queries observe: every selected span once, with raw field values.</summary>
public sealed class SelectionScannerTests
{
    private static async Task<List<(string Span, string Values, bool Whole)>> ScanAsync(string selection, bool wholeSpans, params string[] reads)
    {
        var store = new MemoryTraceStore();
        await store.AppendAsync(CheckoutTrace.Spans(), CancellationToken.None);
        IReadOnlyList<FieldExpression> fields = reads.Length == 0 ? [] : ((Select)((Pipeline)TraceQLParser.Parse("{ } | select(" + string.Join(", ", reads) + ")").Search!).Stages[1]).Fields;
        var hits = new List<(string, string, bool)>();
        await SelectionScanner.ScanAsync(store, TraceQLParser.Parse(selection).Search!, new TraceQLOptions(),
            CheckoutTrace.Start, CheckoutTrace.Start + (1000 * CheckoutTrace.Millisecond), TenantId.Single, fields, wholeSpans,
            (_, spanId, _, values, whole) => hits.Add((spanId.ToString()[^1..], string.Join("|", values.ToArray().Select(v => v.Type == AttributeType.Empty ? "-" : v.ToString())), whole is not null)),
            CancellationToken.None);
        return [.. hits.OrderBy(h => h.Item1, StringComparer.Ordinal)];
    }

    [Fact]
    public async Task A_filter_hands_over_each_selected_span_with_raw_values()
    {
        var hits = await ScanAsync("{ kind = client }", wholeSpans: false, "resource.service.name", "duration", "status", "span.db.system");

        Assert.Equal(
            [("4", "checkout|20000000|unset|sqlite", false), ("5", "checkout|5000000|error|-", false), ("6", "payments|10000000|error|sqlite", false)],
            hits);
    }

    [Fact]
    public async Task A_structural_selection_hands_over_whole_spans_when_asked()
    {
        var hits = await ScanAsync("{ name = \"POST /cart\" } > { }", wholeSpans: true, "kind");

        Assert.Equal([("4", "client", true), ("5", "client", true)], hits);
    }

    [Fact]
    public async Task Spans_outside_the_range_are_left_out()
    {
        var store = new MemoryTraceStore();
        await store.AppendAsync(CheckoutTrace.Spans(), CancellationToken.None);
        var count = 0;

        await SelectionScanner.ScanAsync(store, TraceQLParser.Parse("{ } >> { }").Search!, new TraceQLOptions(),
            CheckoutTrace.Start + (3 * CheckoutTrace.Millisecond), CheckoutTrace.Start + (5 * CheckoutTrace.Millisecond), TenantId.Single, [], false,
            (_, _, _, _, _) => count++, CancellationToken.None);

        Assert.Equal(2, count);
    }
}
