using Threadline.Core.Analysis.GenAi;
using Threadline.Core.Model;

namespace Threadline.Core.Tests.Analysis;

public sealed class GenAiSummarizerTests
{
    [Fact]
    public void Calls_are_summed_per_provider_model_and_operation_exactly()
    {
        var summarizer = new GenAiSummarizer();
        // Ten chat calls to gpt-4o from two services, durations 10..100 ms, one failed.
        for (var i = 1; i <= 10; i++)
        {
            var span = GenAiSpan(i % 2 == 0 ? "assistant" : "search", (ulong)i * 10_000_000UL, error: i == 3,
                new("gen_ai.provider.name", "openai"), new("gen_ai.request.model", "gpt-4o"), new("gen_ai.operation.name", "chat"),
                new("gen_ai.usage.input_tokens", 100 + i), new("gen_ai.usage.output_tokens", 50L));
            Assert.True(GenAiCall.TryRead(span, out var call));
            summarizer.Add(call);
        }
        // Two embeddings calls, without token counts.
        foreach (var ms in new ulong[] { 5, 7 })
        {
            Assert.True(GenAiCall.TryRead(GenAiSpan("search", ms * 1_000_000, error: false,
                new("gen_ai.system", "cohere"), new("gen_ai.response.model", "embed-v3"), new("gen_ai.operation.name", "embeddings")), out var call));
            summarizer.Add(call);
        }

        var models = summarizer.Summaries();

        Assert.Equal(2, models.Count);
        var chat = models[0];
        Assert.Equal(("openai", "gpt-4o", "chat"), (chat.System, chat.Model, chat.Operation));
        Assert.Equal((10L, 1L), (chat.Calls, chat.ErrorCount));
        Assert.Equal((1055L, 500L), (chat.InputTokens, chat.OutputTokens));
        // Nearest rank: p50 is the 5th of 10, p95 the 10th.
        Assert.Equal((50_000_000UL, 100_000_000UL), (chat.P50Nanos!.Value, chat.P95Nanos!.Value));
        Assert.Equal(["assistant", "search"], chat.Services);

        var embeddings = models[1];
        Assert.Equal(("cohere", "embed-v3", "embeddings"), (embeddings.System, embeddings.Model, embeddings.Operation));
        Assert.Equal((2L, 0L, 0L, 0L), (embeddings.Calls, embeddings.ErrorCount, embeddings.InputTokens, embeddings.OutputTokens));
        Assert.Equal((5_000_000UL, 7_000_000UL), (embeddings.P50Nanos!.Value, embeddings.P95Nanos!.Value));
    }

    [Fact]
    public void The_provider_name_wins_over_the_old_system_key_and_the_requested_model_over_the_answering_one()
    {
        var span = GenAiSpan("assistant", 1, error: false,
            new("gen_ai.system", "az.ai.openai"), new("gen_ai.provider.name", "openai"),
            new("gen_ai.response.model", "gpt-4o-2024-08-06"), new("gen_ai.request.model", "gpt-4o"));

        Assert.True(GenAiCall.TryRead(span, out var call));
        Assert.Equal(("openai", "gpt-4o", (string?)null), (call.System, call.Model, call.Operation));
    }

    [Fact]
    public void A_span_without_a_gen_ai_marker_is_no_call()
    {
        var span = GenAiSpan("web", 1, error: false, new("gen_ai.request.model", "gpt-4o"), new("http.route", "/chat"));

        Assert.False(GenAiCall.TryRead(span, out _));
    }

    [Fact]
    public void Token_counts_sent_as_doubles_or_digits_still_count_and_others_do_not()
    {
        var span = GenAiSpan("assistant", 1, error: false, new("gen_ai.operation.name", "chat"),
            new("gen_ai.usage.input_tokens", 12.0), new("gen_ai.usage.output_tokens", "34"));
        Assert.True(GenAiCall.TryRead(span, out var call));
        Assert.Equal((12L, 34L), (call.InputTokens!.Value, call.OutputTokens!.Value));

        var bad = GenAiSpan("assistant", 1, error: false, new("gen_ai.operation.name", "chat"),
            new("gen_ai.usage.input_tokens", -1L), new("gen_ai.usage.output_tokens", "many"));
        Assert.True(GenAiCall.TryRead(bad, out var badCall));
        Assert.Equal(((long?)null, (long?)null), (badCall.InputTokens, badCall.OutputTokens));
    }

    [Fact]
    public void Quantiles_past_the_exact_limit_stay_within_one_percent()
    {
        var quantiles = new DurationQuantiles();
        // 1..20,000 µs: exact p50 is 10,000 µs, p95 19,000 µs.
        for (ulong i = 1; i <= 20_000; i++) quantiles.Add(i * 1000);

        Assert.Equal(20_000, quantiles.Count);
        Assert.InRange((double)quantiles.Quantile(0.5)!.Value, 10_000_000 * 0.99, 10_000_000 * 1.01);
        Assert.InRange((double)quantiles.Quantile(0.95)!.Value, 19_000_000 * 0.99, 19_000_000 * 1.01);
        Assert.Null(new DurationQuantiles().Quantile(0.5));
    }

    private static Span GenAiSpan(string service, ulong durationNanos, bool error, params KeyValue[] attributes) => new()
    {
        TraceId = TraceId.FromBytes([.. Enumerable.Repeat((byte)2, 16)]),
        SpanId = new SpanId(7),
        Name = "chat",
        Resource = new Resource([new("service.name", service)]),
        StartTimeUnixNano = 1_000,
        EndTimeUnixNano = 1_000 + durationNanos,
        Status = new SpanStatus(error ? StatusCode.Error : StatusCode.Unset, string.Empty),
        Attributes = attributes,
    };
}
