using System.Globalization;
using System.Net;
using System.Text.Json;
using Threadline.Core.Model;
using Threadline.Server.Hosting;
using Threadline.Server.Tests.Infrastructure;
using Threadline.Storage.Memory;
using Threadline.Tests.Shared;

namespace Threadline.Server.Tests.Api.Analysis;

/// <summary>
/// One server over a memory store holding, in one minute, 20 failed and 80 successful payments of
/// checkout (<c>payment.method=amex</c> on 18 failures and 4 successes) and 10 GenAI chat calls.
/// </summary>
public sealed class SelectionAnalysisServer : IAsyncLifetime
{
    public const ulong Start = 1_764_547_200_000_000_000; // 2025-12-01T00:00:00Z
    public const ulong End = Start + 60_000_000_000;

    internal ThreadlineServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var store = new MemoryTraceStore();
        var checkout = new Resource([new("service.name", "checkout")]);
        var assistant = new Resource([new("service.name", "assistant")]);
        var spans = new List<Span>();
        for (var i = 0; i < 100; i++)
        {
            var failed = i < 20;
            var amex = failed ? i < 18 : i < 24;
            spans.Add(SpanOf(i, Start + ((ulong)i * 100_000_000), checkout, "POST /pay", 10, failed,
                new KeyValue("payment.method", amex ? "amex" : "visa")));
        }
        for (var i = 0; i < 10; i++)
        {
            spans.Add(SpanOf(1000 + i, Start + ((ulong)i * 1_000_000_000), assistant, "chat gpt-4o", (ulong)(i + 1) * 100, failed: i == 0,
                new("gen_ai.provider.name", "openai"), new("gen_ai.request.model", "gpt-4o"), new("gen_ai.operation.name", "chat"),
                new("gen_ai.usage.input_tokens", 100L), new("gen_ai.usage.output_tokens", 20L)));
        }
        await store.AppendAsync(spans, CancellationToken.None);
        Server = await TestServer.StartAsync(store: store);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    private static Span SpanOf(int n, ulong start, Resource resource, string name, ulong millis, bool failed, params KeyValue[] attributes) => new()
    {
        TraceId = new TraceId(0x5e1ec7, (ulong)n + 1),
        SpanId = new SpanId((ulong)n + 1),
        Name = name,
        Kind = SpanKind.Server,
        Resource = resource,
        StartTimeUnixNano = start,
        EndTimeUnixNano = start + (millis * 1_000_000),
        Status = new SpanStatus(failed ? StatusCode.Error : StatusCode.Ok, string.Empty),
        Attributes = attributes,
    };
}

public sealed class SelectionAnalysisApiTests(SelectionAnalysisServer fixture) : IClassFixture<SelectionAnalysisServer>
{
    private static readonly string Range = $"start={SelectionAnalysisServer.Start}&end={SelectionAnalysisServer.End}";

    [Fact]
    public async Task Triage_answers_the_ranked_attributes_in_the_documented_shape()
    {
        using var response = await GetAsync($"/api/v1/triage?selection=error&service=checkout&{Range}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var json = await HttpTestClient.JsonAsync(response);
        Assert.Equal("error spans of checkout", json.GetProperty("selection").GetProperty("description").GetString());
        Assert.Equal(20, json.GetProperty("selection").GetProperty("spanCount").GetInt64());
        Assert.Equal("other spans of checkout", json.GetProperty("baseline").GetProperty("description").GetString());
        Assert.Equal(80, json.GetProperty("baseline").GetProperty("spanCount").GetInt64());
        var top = json.GetProperty("attributes")[0];
        Assert.Equal("span", top.GetProperty("scope").GetString());
        Assert.Equal("payment.method", top.GetProperty("key").GetString());
        Assert.Equal("amex", top.GetProperty("value").GetString());
        Assert.Equal(18, top.GetProperty("selectionCount").GetInt64());
        Assert.Equal(90.0, top.GetProperty("selectionPercent").GetDouble());
        Assert.Equal(4, top.GetProperty("baselineCount").GetInt64());
        Assert.Equal(5.0, top.GetProperty("baselinePercent").GetDouble());
        Assert.Equal(0.85, top.GetProperty("score").GetDouble());
        Assert.Equal("{ span.payment.method = \"amex\" }", top.GetProperty("traceQL").GetString());
        Assert.False(json.GetProperty("truncated").GetBoolean());
        Assert.Equal(JsonValueKind.Array, json.GetProperty("highCardinalityKeys").ValueKind);
    }

    [Fact]
    public async Task Triage_with_a_TraceQL_selection_and_the_previous_baseline_answers()
    {
        var selection = Uri.EscapeDataString("{ span.payment.method = \"amex\" }");
        using var response = await GetAsync($"/api/v1/triage?selection={selection}&baseline=previous&{Range}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await HttpTestClient.JsonAsync(response);
        Assert.Equal(22, json.GetProperty("selection").GetProperty("spanCount").GetInt64());
        Assert.Equal(0, json.GetProperty("baseline").GetProperty("spanCount").GetInt64());
        Assert.Equal("spans matching { span.payment.method = \"amex\" } in the previous 1m", json.GetProperty("baseline").GetProperty("description").GetString());
    }

    [Theory]
    [InlineData("", "selection")]
    [InlineData("selection=slow:fast", "selection")]
    [InlineData("selection=slow:-1s", "selection")]
    [InlineData("selection=everything", "selection")]
    [InlineData("selection=%7B%20.a%20%3D%201%20%7D%20%3E%3E%20%7B%20.b%20%3D%202%20%7D", "selection")]
    [InlineData("selection=error&baseline=yesterday", "baseline")]
    [InlineData("selection=error&start=tomorrow", "start")]
    [InlineData("selection=error&end=1.5", "end")]
    [InlineData("selection=error&limit=0", "limit")]
    [InlineData("selection=error&limit=20&limit=30", "limit")]
    [InlineData("selection=error&colour=red", "colour")]
    public async Task Triage_refuses_a_bad_parameter_with_a_400_naming_it(string query, string parameter)
    {
        using var response = await GetAsync("/api/v1/triage?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await HttpTestClient.JsonAsync(response);
        Assert.Equal(parameter, json.GetProperty("parameter").GetString());
        Assert.Contains($"'{parameter}'", json.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Triage_answers_a_TraceQL_syntax_error_with_its_line_and_column()
    {
        using var response = await GetAsync("/api/v1/triage?selection=" + Uri.EscapeDataString("{ span.a = }"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = await HttpTestClient.JsonAsync(response);
        Assert.Equal("selection", json.GetProperty("parameter").GetString());
        Assert.Equal(1, json.GetProperty("line").GetInt32());
        Assert.Equal(12, json.GetProperty("column").GetInt32());
        Assert.StartsWith("Parameter 'selection' is not valid TraceQL", json.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GenAI_answers_calls_per_model_in_the_documented_shape()
    {
        using var response = await GetAsync($"/api/v1/genai?{Range}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await HttpTestClient.JsonAsync(response);
        var model = Assert.Single(json.GetProperty("models").EnumerateArray());
        Assert.Equal("openai", model.GetProperty("system").GetString());
        Assert.Equal("gpt-4o", model.GetProperty("model").GetString());
        Assert.Equal("chat", model.GetProperty("operation").GetString());
        Assert.Equal(10, model.GetProperty("calls").GetInt64());
        Assert.Equal(1, model.GetProperty("errorCount").GetInt64());
        Assert.Equal(1000, model.GetProperty("inputTokens").GetInt64());
        Assert.Equal(200, model.GetProperty("outputTokens").GetInt64());
        Assert.Equal(500_000_000UL, model.GetProperty("p50Nanos").GetUInt64());
        Assert.Equal(1_000_000_000UL, model.GetProperty("p95Nanos").GetUInt64());
        Assert.Equal(["assistant"], model.GetProperty("services").EnumerateArray().Select(s => s.GetString()));
        Assert.False(json.GetProperty("truncated").GetBoolean());
    }

    [Theory]
    [InlineData("start=yesterday", "start")]
    [InlineData("end=-5", "end")]
    [InlineData("start=1764547200000000000&end=1764547100000000000", "start")]
    [InlineData("start=2025-01-01T00:00:00Z&end=2025-12-01T00:00:00Z", "start")]
    [InlineData("model=gpt-4o", "model")]
    public async Task GenAI_refuses_a_bad_parameter_with_a_400_naming_it(string query, string parameter)
    {
        using var response = await GetAsync("/api/v1/genai?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(parameter, (await HttpTestClient.JsonAsync(response)).GetProperty("parameter").GetString());
    }

    [Fact]
    public async Task Hostile_values_of_every_parameter_get_a_200_or_a_400_naming_it_never_a_5xx()
    {
        var random = new Random(16_686);
        var values = HostileValues.Extremes.Concat(Enumerable.Range(0, 100).Select(_ => HostileValues.Next(random, 300))).ToArray();
        var requests = new List<(string Path, string Parameter)>();
        foreach (var value in values)
        {
            var escaped = Uri.EscapeDataString(System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(value)));
            requests.Add(($"/api/v1/triage?selection={escaped}", "selection"));
            foreach (var parameter in new[] { "service", "operation", "baseline", "start", "end", "limit" })
                requests.Add(($"/api/v1/triage?selection=error&{parameter}={escaped}", parameter));
            foreach (var parameter in new[] { "start", "end" })
                requests.Add(($"/api/v1/genai?{parameter}={escaped}", parameter));
        }

        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (request, _) =>
        {
            using var response = await GetAsync(request.Path);
            var status = (int)response.StatusCode;
            if (status == 200) return;
            if (status != 400)
            {
                failures.Enqueue($"{request.Path} → {status}");
                return;
            }
            var named = (await HttpTestClient.JsonAsync(response)).GetProperty("parameter").GetString();
            if (named != request.Parameter) failures.Enqueue($"{request.Path} → 400 naming '{named}'");
        });

        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(20)));
    }

    private Task<HttpResponseMessage> GetAsync(string pathAndQuery) => HttpTestClient.GetAsync(fixture.Server.ApiEndpoint, pathAndQuery);
}
