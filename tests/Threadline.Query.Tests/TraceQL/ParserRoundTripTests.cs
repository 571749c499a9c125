using Threadline.Query.TraceQL;

namespace Threadline.Query.Tests.TraceQL;

/// <summary>
/// One case per grammar element: the query parses, prints in canonical form, and the canonical
/// form parses back to an equal query.
/// </summary>
public sealed class ParserRoundTripTests
{
    [Theory]
    // spanset filters, scopes and quoted names
    [InlineData("{}", "{ }")]
    [InlineData("{ }", "{ }")]
    [InlineData("{ span.http.method = \"GET\" }", "{ span.http.method = \"GET\" }")]
    [InlineData("{resource.service.name=\"api\"}", "{ resource.service.name = \"api\" }")]
    [InlineData("{ .http.status_code = 200 }", "{ .http.status_code = 200 }")]
    [InlineData("{ event.exception.message = \"boom\" }", "{ event.exception.message = \"boom\" }")]
    [InlineData("{ link.opentracing.ref_type = \"follows_from\" }", "{ link.opentracing.ref_type = \"follows_from\" }")]
    [InlineData("{ instrumentation.otel.library = \"x\" }", "{ instrumentation.otel.library = \"x\" }")]
    [InlineData("{ parent.http.method = \"GET\" }", "{ parent.http.method = \"GET\" }")]
    [InlineData("{ parent.span.http.method = \"GET\" }", "{ parent.span.http.method = \"GET\" }")]
    [InlineData("{ parent.resource.service.name = \"api\" }", "{ parent.resource.service.name = \"api\" }")]
    [InlineData("{ span.\"a b\" = 1 }", "{ span.\"a b\" = 1 }")]
    [InlineData("{ span.\"quote\\\"d\" = 1 }", "{ span.\"quote\\\"d\" = 1 }")]
    [InlineData("{ span.foo-bar = 1 }", "{ span.foo-bar = 1 }")]
    // intrinsics, plain and scoped
    [InlineData("{ name = \"GET /\" }", "{ name = \"GET /\" }")]
    [InlineData("{ span:name = \"GET /\" }", "{ name = \"GET /\" }")]
    [InlineData("{ status = error }", "{ status = error }")]
    [InlineData("{ span:status = ok }", "{ status = ok }")]
    [InlineData("{ statusMessage = \"x\" }", "{ statusMessage = \"x\" }")]
    [InlineData("{ span:statusMessage = \"x\" }", "{ statusMessage = \"x\" }")]
    [InlineData("{ duration > 100ms }", "{ duration > 100ms }")]
    [InlineData("{ span:duration > 1.5s }", "{ duration > 1500ms }")]
    [InlineData("{ kind = server }", "{ kind = server }")]
    [InlineData("{ span:kind = client }", "{ kind = client }")]
    [InlineData("{ span:id = \"0000000000000001\" }", "{ span:id = \"0000000000000001\" }")]
    [InlineData("{ span:parentID = \"0000000000000001\" }", "{ span:parentID = \"0000000000000001\" }")]
    [InlineData("{ span:childCount > 2 }", "{ span:childCount > 2 }")]
    [InlineData("{ trace:id = \"abc\" }", "{ trace:id = \"abc\" }")]
    [InlineData("{ trace:duration > 1s }", "{ traceDuration > 1s }")]
    [InlineData("{ traceDuration > 1s }", "{ traceDuration > 1s }")]
    [InlineData("{ trace:rootName = \"x\" }", "{ rootName = \"x\" }")]
    [InlineData("{ rootName = \"x\" }", "{ rootName = \"x\" }")]
    [InlineData("{ trace:rootService = \"x\" }", "{ rootServiceName = \"x\" }")]
    [InlineData("{ rootServiceName = \"x\" }", "{ rootServiceName = \"x\" }")]
    [InlineData("{ event:name = \"exception\" }", "{ event:name = \"exception\" }")]
    [InlineData("{ event:timeSinceStart > 2ms }", "{ event:timeSinceStart > 2ms }")]
    [InlineData("{ link:traceID = \"a\" }", "{ link:traceID = \"a\" }")]
    [InlineData("{ link:spanID = \"b\" }", "{ link:spanID = \"b\" }")]
    [InlineData("{ instrumentation:name = \"lib\" }", "{ instrumentation:name = \"lib\" }")]
    [InlineData("{ instrumentation:version = \"1.0\" }", "{ instrumentation:version = \"1.0\" }")]
    [InlineData("{ nestedSetParent = -1 }", "{ nestedSetParent = -1 }")]
    // literals
    [InlineData("{ .a = \"tab\\there\\n\" }", "{ .a = \"tab\\there\\n\" }")]
    [InlineData("{ .a = `raw \\n` }", "{ .a = \"raw \\\\n\" }")]
    [InlineData("{ .a = \"\\u00e9\\x41\\101\" }", "{ .a = \"éAA\" }")]
    [InlineData("{ .a = 3.0 }", "{ .a = 3.0 }")]
    [InlineData("{ .a = .5 }", "{ .a = 0.5 }")]
    [InlineData("{ .a = 1e3 }", "{ .a = 1000.0 }")]
    [InlineData("{ .a = -2 }", "{ .a = -2 }")]
    [InlineData("{ .a = true && .b = false }", "{ (.a = true) && (.b = false) }")]
    [InlineData("{ duration > 1h30m }", "{ duration > 90m }")]
    [InlineData("{ duration > 250us }", "{ duration > 250us }")]
    [InlineData("{ duration > 250µs }", "{ duration > 250us }")]
    [InlineData("{ duration > 7ns }", "{ duration > 7ns }")]
    [InlineData("{ duration > 1d }", "{ duration > 24h }")]
    [InlineData("{ status = unset || status = ok }", "{ (status = unset) || (status = ok) }")]
    [InlineData("{ kind = unspecified || kind = internal || kind = producer || kind = consumer }",
        "{ (((kind = unspecified) || (kind = internal)) || (kind = producer)) || (kind = consumer) }")]
    [InlineData("{ .a > minInt && .a < maxInt }", "{ (.a > minInt) && (.a < 9223372036854775807) }")]
    [InlineData("{ .a = nil }", "{ .a = nil }")]
    [InlineData("{ .a != nil }", "{ .a != nil }")]
    [InlineData("{ nil != span.a }", "{ span.a != nil }")]
    // operators and precedence (Tempo's: && and || share one level, left to right)
    [InlineData("{ .a = 1 || .b = 2 && .c = 3 }", "{ ((.a = 1) || (.b = 2)) && (.c = 3) }")]
    [InlineData("{ .a = 1 || (.b = 2 && .c = 3) }", "{ (.a = 1) || ((.b = 2) && (.c = 3)) }")]
    [InlineData("{ .a + 1 * 2 > 3 }", "{ (.a + (1 * 2)) > 3 }")]
    [InlineData("{ .a - .b - .c = 0 }", "{ ((.a - .b) - .c) = 0 }")]
    [InlineData("{ .a ^ 2 ^ 3 = 1 }", "{ (.a ^ (2 ^ 3)) = 1 }")]
    [InlineData("{ .a / 2 % 3 = 1 }", "{ ((.a / 2) % 3) = 1 }")]
    [InlineData("{ !(.a = 1) }", "{ !(.a = 1) }")]
    [InlineData("{ !.flag }", "{ !.flag }")]
    [InlineData("{ .a =~ \"GET.*\" && .b !~ \"x\" }", "{ (.a =~ \"GET.*\") && (.b !~ \"x\") }")]
    [InlineData("{ .a != 1 && .b >= 2 && .c <= 3 && .d < 4 }", "{ (((.a != 1) && (.b >= 2)) && (.c <= 3)) && (.d < 4) }")]
    [InlineData("{ span.http.request_content_length > 10 * 1024 * 1024 }", "{ span.http.request_content_length > ((10 * 1024) * 1024) }")]
    // spanset operators
    [InlineData("{ .a = 1 } && { .b = 2 }", "{ .a = 1 } && { .b = 2 }")]
    [InlineData("{ .a = 1 } || { .b = 2 }", "{ .a = 1 } || { .b = 2 }")]
    [InlineData("{ .a = 1 } > { .b = 2 }", "{ .a = 1 } > { .b = 2 }")]
    [InlineData("{ .a = 1 } < { .b = 2 }", "{ .a = 1 } < { .b = 2 }")]
    [InlineData("{ .a = 1 } >> { .b = 2 }", "{ .a = 1 } >> { .b = 2 }")]
    [InlineData("{ .a = 1 } << { .b = 2 }", "{ .a = 1 } << { .b = 2 }")]
    [InlineData("{ .a = 1 } ~ { .b = 2 }", "{ .a = 1 } ~ { .b = 2 }")]
    [InlineData("{ } !> { }", "{ } !> { }")]
    [InlineData("{ } !< { }", "{ } !< { }")]
    [InlineData("{ } !>> { }", "{ } !>> { }")]
    [InlineData("{ } !<< { }", "{ } !<< { }")]
    [InlineData("{ } !~ { }", "{ } !~ { }")]
    [InlineData("{ } &> { }", "{ } &> { }")]
    [InlineData("{ } &< { }", "{ } &< { }")]
    [InlineData("{ } &>> { }", "{ } &>> { }")]
    [InlineData("{ } &<< { }", "{ } &<< { }")]
    [InlineData("{ } &~ { }", "{ } &~ { }")]
    [InlineData("{ .a = 1 } && { .b = 2 } > { .c = 3 }", "{ .a = 1 } && ({ .b = 2 } > { .c = 3 })")]
    [InlineData("({ .a = 1 } && { .b = 2 }) > { .c = 3 }", "({ .a = 1 } && { .b = 2 }) > { .c = 3 }")]
    [InlineData("{ } >> { } >> { }", "({ } >> { }) >> { }")]
    [InlineData("{resource.service.name=\"api-gateway\"}>>{span.db.system.name=\"sqlite\"&&duration>10ms}",
        "{ resource.service.name = \"api-gateway\" } >> { (span.db.system.name = \"sqlite\") && (duration > 10ms) }")]
    // pipelines
    [InlineData("{ } | count() > 2", "{ } | count() > 2")]
    [InlineData("count() > 2", "count() > 2")]
    [InlineData("{ } | avg(duration) > 20ms", "{ } | avg(duration) > 20ms")]
    [InlineData("{ } | min(span.size) >= 1.5", "{ } | min(span.size) >= 1.5")]
    [InlineData("{ } | max(duration) < 1s", "{ } | max(duration) < 1s")]
    [InlineData("{ } | sum(span.bytes) != 0", "{ } | sum(span.bytes) != 0")]
    [InlineData("{ } | sum(span.bytes) = 10 * 2", "{ } | sum(span.bytes) = 20")]
    [InlineData("{ } | avg(duration) > 2 * min(duration)", "{ } | avg(duration) > (2 * min(duration))")]
    [InlineData("{ } | count() + 1 > 2", "{ } | (count() + 1) > 2")]
    [InlineData("{ status = error } | by(resource.service.name) | count() > 1", "{ status = error } | by(resource.service.name) | count() > 1")]
    [InlineData("{ } | select(span.http.url, status, resource.service.name)", "{ } | select(span.http.url, status, resource.service.name)")]
    [InlineData("{ } | by(.a) | coalesce()", "{ } | by(.a) | coalesce()")]
    [InlineData("({ .a = 1 } | count() > 1) && ({ .b = 2 } | count() > 1)", "({ .a = 1 } | count() > 1) && ({ .b = 2 } | count() > 1)")]
    [InlineData("{ } | { .a = 1 }", "{ } | { .a = 1 }")]
    // hints
    [InlineData("{ } with (most_recent=true)", "{ } with (most_recent = true)")]
    [InlineData("{ } with(sample=0.5, job_size=3)", "{ } with (sample = 0.5, job_size = 3)")]
    [InlineData("{ } | rate() with (exemplars=false)", "{ } | rate() with (exemplars = false)")]
    // metrics
    [InlineData("{ } | rate()", "{ } | rate()")]
    [InlineData("{ } | rate() by (resource.service.name)", "{ } | rate() by (resource.service.name)")]
    [InlineData("{ } | rate() by(resource.service.name, span.http.method)", "{ } | rate() by (resource.service.name, span.http.method)")]
    [InlineData("{ } | count_over_time()", "{ } | count_over_time()")]
    [InlineData("{ } | min_over_time(duration)", "{ } | min_over_time(duration)")]
    [InlineData("{ } | max_over_time(span.size) by (name)", "{ } | max_over_time(span.size) by (name)")]
    [InlineData("{ } | sum_over_time(span.size)", "{ } | sum_over_time(span.size)")]
    [InlineData("{ } | avg_over_time(duration)", "{ } | avg_over_time(duration)")]
    [InlineData("{ } | quantile_over_time(duration, .5, .99, 1)", "{ } | quantile_over_time(duration, 0.5, 0.99, 1.0)")]
    [InlineData("{ } | histogram_over_time(duration)", "{ } | histogram_over_time(duration)")]
    [InlineData("{ } | compare({ status = error })", "{ } | compare({ status = error }, 10)")]
    [InlineData("{ } | compare({ status = error }, 5)", "{ } | compare({ status = error }, 5)")]
    [InlineData("{ } | compare({ status = error }, 5, 1000, 2000)", "{ } | compare({ status = error }, 5, 1000, 2000)")]
    [InlineData("{ } | rate() by (name) | topk(5)", "{ } | rate() by (name) | topk(5)")]
    [InlineData("{ } | rate() | bottomk(2)", "{ } | rate() | bottomk(2)")]
    [InlineData("{ } | rate() > 10", "{ } | rate() > 10.0")]
    [InlineData("{ } | rate() > 10 | topk(3)", "{ } | rate() > 10.0 | topk(3)")]
    [InlineData("{ } | rate() | topk(3) < 2.5", "{ } | rate() | topk(3) < 2.5")]
    [InlineData("{ status = error } | by(.a) | rate()", "{ status = error } | by(.a) | rate()")]
    [InlineData("({ status = error } | rate()) / ({ } | rate())", "({ status = error } | rate()) / ({ } | rate())")]
    [InlineData("({ } | rate()) * 100", "({ } | rate()) * 100.0")]
    [InlineData("100 * ({ } | rate())", "100.0 * ({ } | rate())")]
    [InlineData("({ } | rate()) - ({ } | count_over_time()) | topk(1)", "({ } | rate()) - ({ } | count_over_time()) | topk(1)")]
    public void Parses_to_canonical_form_and_back(string query, string canonical)
    {
        var parsed = TraceQLParser.Parse(query);

        Assert.Equal(canonical, parsed.ToString());
        var reparsed = TraceQLParser.Parse(canonical);
        Assert.Equal(parsed, reparsed);
        Assert.Equal(canonical, reparsed.ToString());
    }

    [Theory]
    [InlineData("{ } | rate()", true)]
    [InlineData("({ } | rate()) / ({ } | rate())", true)]
    [InlineData("{ } | count() > 1", false)]
    [InlineData("{ }", false)]
    public void Tells_metrics_queries_from_searches(string query, bool metrics) =>
        Assert.Equal(metrics, TraceQLParser.Parse(query).IsMetrics);

    [Fact]
    public void Whitespace_and_newlines_between_tokens_do_not_matter()
    {
        var spaced = TraceQLParser.Parse("{\n  span.a = 1\r\n}\t|\n count()\n > 2\n");
        var tight = TraceQLParser.Parse("{span.a=1}|count()>2");

        Assert.Equal(tight, spaced);
    }
}
