using static Threadline.UiTests.Fixtures.FixtureSpan;

namespace Threadline.UiTests.Fixtures;

/// <summary>
/// The hand-built traces the end-to-end tests look for: each one planted for one journey (an error trace,
/// a long trace to collapse, a trace linking to another, two similar traces to compare, a triage attribute
/// that sets error spans apart, GenAI calls, and span attributes holding HTML that must stay text).
/// </summary>
internal sealed class UiFixtureTraces
{
    public const string HostileScript = "<script>alert(1)</script>";
    public const string HostileImage = "<img src=x onerror=alert(1)>";
    public const string TriageKey = "payment.method";
    public const string TriageValue = "amex-planted";
    public const string GenAiModel = "gpt-4o-fixture";

    public string ErrorTraceId { get; } = OtlpTraceBuilder.Id(16, "error trace");
    public string ErrorRootSpanId { get; } = OtlpTraceBuilder.Id(8, "error root");
    public string LongTraceId { get; } = OtlpTraceBuilder.Id(16, "long trace");
    public string LinkingTraceId { get; } = OtlpTraceBuilder.Id(16, "linking trace");
    public string CompareLeftTraceId { get; } = OtlpTraceBuilder.Id(16, "compare left");
    public string CompareRightTraceId { get; } = OtlpTraceBuilder.Id(16, "compare right");
    public string HostileTraceId { get; } = OtlpTraceBuilder.Id(16, "hostile trace");
    public string HostileSpanId { get; } = OtlpTraceBuilder.Id(8, "hostile span");

    /// <summary>Pages of the long trace, each with <see cref="LongTraceItemsPerPage"/> children.</summary>
    public const int LongTracePages = 30, LongTraceItemsPerPage = 40;

    public IReadOnlyList<string> AllTraceIds => [ErrorTraceId, LongTraceId, LinkingTraceId, CompareLeftTraceId, CompareRightTraceId, HostileTraceId, .. _triageTraceIds, .. _genAiTraceIds];

    private readonly List<string> _triageTraceIds = [];
    private readonly List<string> _genAiTraceIds = [];

    /// <summary>Every fixture trace, placed in the minutes before <paramref name="now"/> so a page's default hour shows them.</summary>
    public List<(string TraceId, DateTimeOffset Start, IReadOnlyList<FixtureSpan> Spans)> Build(DateTimeOffset now)
    {
        var traces = new List<(string, DateTimeOffset, IReadOnlyList<FixtureSpan>)>
        {
            (ErrorTraceId, now.AddMinutes(-10), ErrorTrace()),
            (LongTraceId, now.AddMinutes(-9), LongTrace()),
            (LinkingTraceId, now.AddMinutes(-8), LinkingTrace()),
            (CompareLeftTraceId, now.AddMinutes(-7), CartTrace("left", selects: 1, cacheLookup: false)),
            (CompareRightTraceId, now.AddMinutes(-6), CartTrace("right", selects: 3, cacheLookup: true)),
            (HostileTraceId, now.AddMinutes(-5), HostileTrace()),
        };
        // The triage plant: the payment method marks nearly every failing payment and almost no successful one.
        for (var i = 0; i < 40; i++)
        {
            var failed = i % 4 == 0;
            var method = failed ? TriageValue : "visa";
            var traceId = OtlpTraceBuilder.Id(16, $"payment {i}");
            _triageTraceIds.Add(traceId);
            traces.Add((traceId, now.AddMinutes(-20).AddSeconds(i * 15), PaymentTrace($"payment {i}", failed, method)));
        }
        for (var i = 0; i < 6; i++)
        {
            var traceId = OtlpTraceBuilder.Id(16, $"genai {i}");
            _genAiTraceIds.Add(traceId);
            traces.Add((traceId, now.AddMinutes(-4).AddSeconds(i * 10), GenAiTrace($"genai {i}", failed: i == 5)));
        }
        return traces;
    }

    private List<FixtureSpan> ErrorTrace()
    {
        string S(string seed) => OtlpTraceBuilder.Id(8, "error " + seed);
        return
        [
            new("frontend", ErrorRootSpanId, null, "GET /checkout", KindServer, TimeSpan.Zero, Ms(180))
            {
                IsError = true, Attributes = [new("http.request.method", "GET"), new("http.response.status_code", 500)],
            },
            new("frontend", S("call"), ErrorRootSpanId, "POST checkout", KindClient, Ms(5), Ms(160)) { IsError = true },
            new("checkout", S("pay"), S("call"), "POST /pay", KindServer, Ms(10), Ms(150))
            {
                IsError = true, StatusMessage = "card declined",
                Attributes = [new(TriageKey, TriageValue), new("http.response.status_code", 502)],
            },
            new("checkout", S("select"), S("pay"), "SELECT cart", KindClient, Ms(15), Ms(20))
            {
                Attributes = [new("db.system", "postgresql"), new("db.namespace", "shop"), new("db.name", "shop")],
            },
            new("checkout", S("charge call"), S("pay"), "POST charge", KindClient, Ms(40), Ms(110)) { IsError = true },
            new("payments", S("charge"), S("charge call"), "charge", KindServer, Ms(45), Ms(100))
            {
                IsError = true, StatusMessage = "issuer unavailable",
                Events = [("exception", Ms(90))],
                Attributes = [new("exception.type", "IssuerUnavailable")],
            },
        ];
    }

    private List<FixtureSpan> LongTrace()
    {
        string S(string seed) => OtlpTraceBuilder.Id(8, "long " + seed);
        var root = S("root");
        var spans = new List<FixtureSpan> { new("catalog-import", root, null, "import catalog", KindServer, TimeSpan.Zero, Ms(LongTracePages * 100 + 50)) };
        for (var page = 0; page < LongTracePages; page++)
        {
            var pageId = S($"page {page}");
            spans.Add(new("catalog-import", pageId, root, $"load page {page}", KindInternal, Ms(page * 100 + 10), Ms(90)));
            for (var item = 0; item < LongTraceItemsPerPage; item++)
            {
                spans.Add(new("catalog-import", S($"item {page}/{item}"), pageId, "upsert item", KindInternal, Ms(page * 100 + 12 + item * 2), Ms(2)));
            }
        }
        return spans;
    }

    private List<FixtureSpan> LinkingTrace()
    {
        string S(string seed) => OtlpTraceBuilder.Id(8, "linking " + seed);
        return
        [
            new("refunds", S("root"), null, "process refund", KindConsumer, TimeSpan.Zero, Ms(40))
            {
                // The refund was caused by the failed checkout: the link leads there.
                Links = [(ErrorTraceId, ErrorRootSpanId)],
                Attributes = [new("messaging.system", "kafka"), new("messaging.destination.name", "refunds")],
            },
            new("refunds", S("store"), S("root"), "store refund", KindInternal, Ms(5), Ms(30)),
        ];
    }

    private static List<FixtureSpan> CartTrace(string which, int selects, bool cacheLookup)
    {
        string S(string seed) => OtlpTraceBuilder.Id(8, $"cart {which} {seed}");
        var spans = new List<FixtureSpan>
        {
            new("frontend", S("root"), null, "GET /cart", KindServer, TimeSpan.Zero, Ms(100)),
            new("frontend", S("call"), S("root"), "GET cart", KindClient, Ms(5), Ms(90)),
            new("cart", S("server"), S("call"), "GET /cart/items", KindServer, Ms(8), Ms(85)),
        };
        for (var i = 0; i < selects; i++)
        {
            spans.Add(new("cart", S($"select {i}"), S("server"), "SELECT cart", KindClient, Ms(10 + i * 20), Ms(15)) { Attributes = [new("db.system", "postgresql"), new("db.name", "shop")] });
        }
        if (cacheLookup) spans.Add(new("cart", S("cache"), S("server"), "cache lookup", KindInternal, Ms(80), Ms(3)));
        return spans;
    }

    private List<FixtureSpan> HostileTrace() =>
    [
        new("frontend", HostileSpanId, null, "render note", KindServer, TimeSpan.Zero, Ms(12))
        {
            Attributes = [new("note", HostileScript), new("snippet", HostileImage)],
        },
    ];

    private static List<FixtureSpan> PaymentTrace(string seed, bool failed, string method)
    {
        string S(string part) => OtlpTraceBuilder.Id(8, $"{seed} {part}");
        return
        [
            new("checkout", S("pay"), null, "POST /pay", KindServer, TimeSpan.Zero, Ms(failed ? 220 : 40))
            {
                IsError = failed,
                // Only the payment method tells failures apart: nothing else on the span differs with the outcome.
                Attributes = [new(TriageKey, method), new("http.request.method", "POST")],
            },
            new("checkout", S("charge call"), S("pay"), "POST charge", KindClient, Ms(5), Ms(failed ? 200 : 30)) { IsError = failed },
            new("payments", S("charge"), S("charge call"), "charge", KindServer, Ms(7), Ms(failed ? 195 : 25)) { IsError = failed },
        ];
    }

    private static List<FixtureSpan> GenAiTrace(string seed, bool failed)
    {
        string S(string part) => OtlpTraceBuilder.Id(8, $"{seed} {part}");
        return
        [
            new("assistant", S("ask"), null, "POST /ask", KindServer, TimeSpan.Zero, Ms(900)),
            new("assistant", S("chat"), S("ask"), $"chat {GenAiModel}", KindClient, Ms(10), Ms(850))
            {
                IsError = failed,
                Attributes =
                [
                    new("gen_ai.system", "openai"), new("gen_ai.operation.name", "chat"),
                    new("gen_ai.request.model", GenAiModel), new("gen_ai.usage.input_tokens", 120),
                    new("gen_ai.usage.output_tokens", 80),
                ],
            },
        ];
    }

    private static TimeSpan Ms(int milliseconds) => TimeSpan.FromMilliseconds(milliseconds);
}
