using Threadline.Query.TraceQL;

namespace Threadline.Query.Tests.TraceQL;

/// <summary>Every spanset operator on <see cref="CheckoutTrace"/>, the expected spans worked out by hand from its tree.</summary>
public sealed class StructuralOperatorTests
{
    [Theory]
    // logical
    [InlineData("{ name = \"SELECT\" } && { name = \"charge\" }", "SELECT,charge")]
    [InlineData("{ name = \"SELECT\" } && { name = \"nope\" }", "")]
    [InlineData("{ name = \"SELECT\" } || { name = \"nope\" }", "SELECT")]
    [InlineData("{ name = \"nope\" } || { name = \"nope either\" }", "")]
    // plain structural: right-hand spans related to a left-hand span
    [InlineData("{ name = \"GET /checkout\" } > { }", "POST /cart,charge")]
    [InlineData("{ } > { kind = client }", "SELECT,cache get,INSERT")]
    [InlineData("{ status = error } < { }", "GET /checkout,POST /cart,charge")]
    [InlineData("{ name = \"GET /checkout\" } >> { span.db.system = \"sqlite\" }", "SELECT,INSERT")]
    [InlineData("{ name = \"POST /cart\" } >> { span.db.system = \"sqlite\" }", "SELECT")]
    [InlineData("{ name = \"SELECT\" } << { }", "GET /checkout,POST /cart")]
    [InlineData("{ name = \"SELECT\" } ~ { }", "cache get")]
    [InlineData("{ name = \"POST /cart\" } ~ { }", "charge")]
    [InlineData("{ name = \"GET /checkout\" } ~ { }", "")]
    // negated: right-hand spans related to no left-hand span
    [InlineData("{ name = \"GET /checkout\" } !> { }", "GET /checkout,SELECT,cache get,INSERT")]
    [InlineData("{ status = error } !< { }", "SELECT,cache get,INSERT")]
    [InlineData("{ name = \"POST /cart\" } !>> { }", "GET /checkout,POST /cart,charge,INSERT")]
    [InlineData("{ name = \"SELECT\" } !<< { }", "charge,SELECT,cache get,INSERT")]
    [InlineData("{ name = \"SELECT\" } !~ { }", "GET /checkout,POST /cart,charge,SELECT,INSERT")]
    [InlineData("{ name = \"nope\" } !> { kind = client }", "SELECT,cache get,INSERT")]
    [InlineData("{ } !< { resource.service.name = \"checkout\" }", "SELECT,cache get")]
    // union: the related spans of both sides
    [InlineData("{ name = \"POST /cart\" } &> { kind = client }", "POST /cart,SELECT,cache get")]
    [InlineData("{ kind = client } &< { }", "POST /cart,charge,SELECT,cache get,INSERT")]
    [InlineData("{ name = \"GET /checkout\" } &>> { status = error }", "GET /checkout,POST /cart,cache get,INSERT")]
    [InlineData("{ name = \"INSERT\" } &<< { }", "GET /checkout,charge,INSERT")]
    [InlineData("{ name = \"SELECT\" } &~ { }", "SELECT,cache get")]
    [InlineData("{ name = \"nope\" } &> { }", "")]
    // the example, and chains
    [InlineData("{ resource.service.name = \"frontend\" } >> { span.db.system = \"sqlite\" && duration > 10ms }", "SELECT")]
    [InlineData("{ name = \"GET /checkout\" } > { } > { kind = client }", "SELECT,cache get,INSERT")]
    [InlineData("({ name = \"GET /checkout\" } > { }) && { name = \"INSERT\" }", "POST /cart,charge,INSERT")]
    public async Task Spanset_operators_return_the_spans_worked_out_by_hand(string query, string expected)
    {
        var engine = await CheckoutTrace.EngineAsync();

        var result = await engine.SearchAsync(CheckoutTrace.Request(query), CancellationToken.None);

        Assert.Equal(Sorted(expected), Sorted(SpanNames(result)));
    }

    [Fact]
    public async Task A_structural_operator_over_several_spansets_per_trace_asks_for_coalesce()
    {
        var engine = await CheckoutTrace.EngineAsync();

        var error = await Assert.ThrowsAsync<TraceQLQueryException>(async () =>
            await engine.SearchAsync(CheckoutTrace.Request("({ } | by(resource.service.name)) > { }"), CancellationToken.None));

        Assert.Contains("coalesce()", error.Message, StringComparison.Ordinal);
        var coalesced = await engine.SearchAsync(CheckoutTrace.Request("({ } | by(resource.service.name) | coalesce()) > { kind = client }"), CancellationToken.None);
        Assert.Equal(Sorted("SELECT,cache get,INSERT"), Sorted(SpanNames(coalesced)));
    }

    internal static string SpanNames(TraceQLSearchResult result) =>
        string.Join(",", result.Traces.SelectMany(t => t.Spansets).SelectMany(s => s.Spans).Select(s => s.Name));

    internal static string Sorted(string names) =>
        string.Join(",", names.Split(',', StringSplitOptions.RemoveEmptyEntries).Distinct().Order(StringComparer.Ordinal));
}
