using System.Globalization;
using Threadline.Core.Analysis.Naming;
using Threadline.Core.Model;

namespace Threadline.Core.Tests.Analysis.Naming;

// Alone: the memory-bound test reads the process-wide heap size, which tests running beside it
// (the million-span trace analyses) would inflate.
[Collection(NamingHealthDetectorTests.Alone)]
public sealed class NamingHealthDetectorTests
{
    private static readonly Resource Catalog = new([new("service.name", "catalog")]);
    private static readonly Resource Cart = new([new("service.name", "cart")]);
    internal const string Alone = "naming health memory, alone";
    private ulong _nextId;

    private Span Named(string name, Resource resource) => new()
    {
        TraceId = new TraceId(1, ++_nextId),
        SpanId = new SpanId(_nextId),
        Name = name,
        Resource = resource,
    };

    private static string N(long i) => i.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public void A_template_holding_many_distinct_names_is_a_finding_with_examples()
    {
        var detector = new NamingHealthDetector();
        var batch = Enumerable.Range(0, 1_400).Select(i => Named("GET /products/" + N(i), Catalog)).ToList();
        batch.Add(Named("GET /health", Catalog));
        batch.AddRange(Enumerable.Range(0, 3).Select(_ => Named("GET /cart", Cart)));

        detector.Observe(batch);

        var service = Assert.Single(detector.Report());
        Assert.Equal("catalog", service.Service);
        Assert.True(service.Tracked);
        Assert.True(service.ExceedsLimit);
        // Past the exact range the count is a HyperLogLog estimate (±5 % here).
        Assert.InRange(service.DistinctNames, 1_401 * 0.95, 1_401 * 1.05);
        var finding = Assert.Single(service.Findings);
        Assert.Equal(("GET /products/{id}", NamingReason.Id), (finding.SuggestedName, finding.Reason));
        Assert.InRange(finding.DistinctNames, 1_400 * 0.85, 1_400 * 1.15);
        Assert.Equal(["GET /products/0", "GET /products/1", "GET /products/2", "GET /products/3", "GET /products/4"], finding.Examples);
    }

    [Fact]
    public void Names_below_the_threshold_or_repeated_are_not_findings()
    {
        var detector = new NamingHealthDetector(new NamingHealthLimits(FindingThreshold: 20));
        var batch = new List<Span>();
        for (var repeat = 0; repeat < 50; repeat++)
        {
            batch.AddRange(Enumerable.Range(0, 19).Select(i => Named("GET /orders/" + N(i), Cart)));
        }

        detector.Observe(batch);

        Assert.Empty(detector.Report());
        var cart = Assert.Single(detector.Report("cart"));
        Assert.Equal((19L, true, false), (cart.DistinctNames, cart.Tracked, cart.ExceedsLimit));
        Assert.Empty(cart.Findings);

        detector.Observe([Named("GET /orders/19", Cart)]);
        Assert.Equal(20, Assert.Single(Assert.Single(detector.Report()).Findings).DistinctNames);
    }

    [Fact]
    public void Each_kind_of_id_is_reported_with_its_reason()
    {
        var detector = new NamingHealthDetector();
        var batch = new List<Span>();
        for (var i = 0; i < 30; i++)
        {
            batch.Add(Named($"GET /orders/{new Guid(i, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)}", Cart));
            batch.Add(Named($"GET https://api.example.com/v1/items?page={N(i)}", Cart));
            batch.Add(Named($"SELECT * FROM stock WHERE sku = {N(i)}", Cart));
            batch.Add(Named($"render page {N(i)}", Cart));
            batch.Add(Named($"GET /blob/{N(1_000_000_000_000 + i):x}abcdef", Cart));
        }

        detector.Observe(batch);

        var findings = Assert.Single(detector.Report()).Findings;
        Assert.Equal(
            ["GET /blob/{id}:hex", "GET /orders/{id}:uuid", "GET /v1/items:url", "SELECT stock:sql", "render page {n}:number"],
            findings.Select(f => $"{f.SuggestedName}:{NamingReasonNames.Of(f.Reason)}").Order(StringComparer.Ordinal));
        Assert.All(findings, f => Assert.Equal(30, f.DistinctNames));
    }

    [Fact]
    public void A_service_is_looked_up_alone_and_unknown_ones_are_untracked()
    {
        var detector = new NamingHealthDetector(new NamingHealthLimits(MaxServices: 1));
        detector.Observe([Named("a", Catalog), Named("b", Cart)]);

        Assert.Equal((1L, true), (detector.Report("catalog")[0].DistinctNames, detector.Report("catalog")[0].Tracked));
        Assert.False(detector.Report("cart")[0].Tracked);
        Assert.False(detector.Report("never-seen")[0].Tracked);
        Assert.Equal(1, detector.UntrackedSpans);
    }

    [Fact]
    public void Memory_stays_bounded_under_a_million_distinct_names()
    {
        var detector = new NamingHealthDetector();
        var services = Enumerable.Range(0, 1_000).Select(i => "svc-" + N(i)).ToArray();
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);

        for (var i = 0; i < 1_000_000; i++)
        {
            // Every name distinct; a thousand services, each with templates that keep changing.
            detector.Observe(services[i % services.Length], $"op{N(i % 997)}x /item/{N(i)} " + new string('q', i % 40));
        }

        var held = GC.GetTotalMemory(forceFullCollection: true) - before;
        // 500 services × (4 KB + 50 templates × ~2 KB) plus the cache: about 60 MB at most, whatever comes.
        Assert.True(held < 64L * 1024 * 1024, $"the detector holds {held:N0} bytes");
        // The first 500 services are tracked (each with findings); the names of the other 500 are not looked at.
        Assert.Equal(500, detector.Report().Count);
        Assert.False(detector.Report("svc-999")[0].Tracked);
        Assert.Equal(500_000, detector.UntrackedSpans);
        GC.KeepAlive(detector);
    }

    [Fact]
    public void Distinct_counter_is_exact_in_its_exact_range_and_close_beyond()
    {
        var small = new DistinctCounter(8);
        for (var i = 0; i < 100; i++) small.Add("name-" + N(i % DistinctCounter.ExactLimit));
        Assert.Equal(DistinctCounter.ExactLimit, small.Count);

        var large = new DistinctCounter(12);
        for (var i = 0; i < 200_000; i++) large.Add("name-" + N(i));
        Assert.InRange(large.Count, 200_000 * 0.95, 200_000 * 1.05);
    }
}

[CollectionDefinition(NamingHealthDetectorTests.Alone, DisableParallelization = true)]
public sealed class NamingHealthDetectorCollection;
