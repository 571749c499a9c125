using BenchmarkDotNet.Attributes;
using Threadline.Query.TraceQL;
using Threadline.Query.TraceQL.Planning;
using Threadline.Storage;

namespace Threadline.Benchmarks.TraceQL;

/// <summary>
/// Parse, and parse + plan, of a typical structural query (the issue's) and a typical filter
/// with a pipeline, against the baseline of parsing the smallest query, <c>{ }</c>. Target: parse
/// and plan of a typical query within 50 µs.
/// </summary>
// Not sealed: BenchmarkDotNet generates a class deriving from it.
[MemoryDiagnoser]
[MedianColumn]
public class TraceQLParseBenchmarks
{
    private const string Structural =
        "{ resource.service.name = \"api-gateway\" } >> { span.db.system.name = \"sqlite\" && duration > 10ms }";

    private const string Pipeline =
        "{ span.http.response.status_code >= 500 && resource.service.name != \"checkout\" } | by(span.http.route) | count() > 2 | select(span.url.path)";

    // The store contract compiles a pushed-down pattern (linear-time matcher) per condition.
    private const string Regex = "{ resource.service.name =~ \"check.*\" }";

    [Benchmark(Baseline = true)]
    public object ParseEmpty() => TraceQLParser.Parse("{ }");

    [Benchmark]
    public object ParseStructural() => TraceQLParser.Parse(Structural);

    [Benchmark]
    public object ParseAndPlanStructural() => SearchPlanner.Plan(TraceQLParser.Parse(Structural).Search!, 1, 2, TenantId.Single);

    [Benchmark]
    public object ParseAndPlanPipeline() => SearchPlanner.Plan(TraceQLParser.Parse(Pipeline).Search!, 1, 2, TenantId.Single);

    [Benchmark]
    public object ParseAndPlanRegex() => SearchPlanner.Plan(TraceQLParser.Parse(Regex).Search!, 1, 2, TenantId.Single);
}
