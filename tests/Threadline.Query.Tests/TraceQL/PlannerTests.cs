using Threadline.Query.TraceQL;
using Threadline.Query.TraceQL.Planning;
using Threadline.Storage;

namespace Threadline.Query.Tests.TraceQL;

/// <summary>Which conditions a search pushes to the store, and when it loads whole traces.</summary>
public sealed class PlannerTests
{
    private static SearchPlan Plan(string query) =>
        SearchPlanner.Plan(TraceQLParser.Parse(query).Search!, 1, 2, TenantId.Single);

    private static string Describe(Storage.Fetch.FetchSpansRequest request) =>
        (request.AllConditions ? "all: " : "any: ") + string.Join("; ", request.Conditions);

    [Theory]
    [InlineData("{ span.http.response.status_code >= 500 }", "all: span.http.response.status_code GreaterOrEqual 500")]
    [InlineData("{ .a = \"x\" && resource.service.name = \"api\" }", "all: .a Equal \"x\"; resource.service.name Equal \"api\"")]
    [InlineData("{ 500 <= span.code }", "all: span.code GreaterOrEqual 500")]
    [InlineData("{ name = \"GET\" && duration > 10ms && kind = server && status = error && statusMessage != \"\" }",
        "all: intrinsic.name Equal \"GET\"; intrinsic.duration Greater 10000000ns; intrinsic.kind Equal server; intrinsic.status Equal error; intrinsic.statusMessage NotEqual \"\"")]
    [InlineData("{ .a = 1 || .b = 2.5 }", "any: .a Equal 1; .b Equal 2.5")]
    [InlineData("{ .a = 1 || .b + 1 = 2 }", "all: .a None; .b None")]
    [InlineData("{ .a = 1 && .b + 1 = 2 }", "all: .a Equal 1; .b None")]
    [InlineData("{ (.a = 1 || .b = 2) && .c = true }", "all: .c Equal true; .a None; .b None")]
    [InlineData("{ .a =~ \"x.*\" && .b !~ \"y\" }", "all: .a Regex \"x.*\"; .b None")]
    [InlineData("{ .a != nil && .b = nil }", "all: .a Exists; .b None")]
    [InlineData("{ !(.a = 1) }", "all: .a None")]
    [InlineData("{ duration > 100 }", "all: ")]
    [InlineData("{ .d > 10ms }", "all: .d None")]
    [InlineData("{ }", "all: ")]
    [InlineData("{ trace:rootService = \"api\" && .a = 1 }", "all: .a Equal 1")]
    [InlineData("{ .a = 1 } | select(span.b, resource.c) | by(.d)", "all: .a Equal 1; span.b None; resource.c None; .d None")]
    [InlineData("{ .a = 1 } | avg(span.latency) > 2", "all: .a Equal 1; span.latency None")]
    public void Plain_filters_push_typed_conditions_and_fetch_what_they_read(string query, string expected)
    {
        var plan = Plan(query);

        Assert.Null(plan.Candidates);
        Assert.Equal(expected, Describe(plan.SpanFetch!));
        Assert.Equal((1UL, 2UL, TenantId.Single), (plan.SpanFetch!.StartTimeUnixNano, plan.SpanFetch.EndTimeUnixNano, plan.SpanFetch.Tenant));
    }

    [Theory]
    [InlineData("{ parent.a = 1 }")]
    [InlineData("{ event.a = 1 }")]
    [InlineData("{ span:childCount > 1 }")]
    [InlineData("{ instrumentation:name = \"x\" }")]
    [InlineData("{ } | count() > 1 | { .a = 1 } >> { }")]
    public void Fields_a_fetch_cannot_carry_load_whole_traces(string query)
    {
        var plan = Plan(query);

        Assert.Null(plan.SpanFetch);
        Assert.NotNull(plan.Candidates);
    }

    [Theory]
    [InlineData("{ .a = 1 } >> { .b = 2 }", "both(all: .a Equal 1, all: .b Equal 2)")]
    [InlineData("{ .a = 1 } && { .b = 2 }", "both(all: .a Equal 1, all: .b Equal 2)")]
    [InlineData("{ .a = 1 } &~ { .b = 2 }", "both(all: .a Equal 1, all: .b Equal 2)")]
    [InlineData("{ .a = 1 } || { .b = 2 }", "either(all: .a Equal 1, all: .b Equal 2)")]
    [InlineData("{ .a = 1 } !> { .b = 2 }", "all: .b Equal 2")]
    [InlineData("{ } >> { .b = 2 }", "all: .b Equal 2")]
    [InlineData("{ .a = 1 } < { }", "all: .a Equal 1")]
    [InlineData("({ .a = 1 } | count() > 1) > { .b = 2 }", "both(all: .a Equal 1, all: .b Equal 2)")]
    [InlineData("{ event.a = \"x\" }", "all: event.a Equal \"x\"")]
    [InlineData("{ link.a = \"x\" }", "all: link.a Equal \"x\"")]
    [InlineData("by(.a) | count() > 1", "all: ")]
    public void Structural_queries_narrow_candidate_traces_per_side(string query, string expected)
    {
        var plan = Plan(query);

        Assert.Null(plan.SpanFetch);
        Assert.Equal(expected, Describe(plan.Candidates!));
    }

    [Fact]
    public void Output_fields_are_those_tempo_shows_on_spans()
    {
        var plan = Plan("{ name = \"x\" && duration > 1ms && status = error && span.a = 1 && trace:rootService = \"s\" } | select(kind, resource.b)");

        Assert.Equal(["status", "span.a", "kind", "resource.b"], plan.OutputFields.Select(f => f.ToString()));
    }

    private static string Describe(CandidateTraces candidates) => candidates switch
    {
        FetchedTraces fetched => Describe(fetched.Request),
        BothTraces both => $"both({Describe(both.Left)}, {Describe(both.Right)})",
        EitherTraces either => $"either({Describe(either.Left)}, {Describe(either.Right)})",
        _ => candidates.ToString()!,
    };
}
