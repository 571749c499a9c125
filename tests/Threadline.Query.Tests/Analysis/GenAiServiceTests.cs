using Threadline.Core.Model;
using Threadline.Query.Analysis;
using Threadline.Storage.Memory;

namespace Threadline.Query.Tests.Analysis;

public sealed class GenAiServiceTests
{
    private const ulong Start = 1_764_547_200_000_000_000;

    [Fact]
    public async Task GenAI_spans_in_the_range_are_summarised_and_other_spans_ignored()
    {
        var store = new MemoryTraceStore();
        await store.AppendAsync(
        [
            Call(1, Start, "assistant", 20, error: false, ("gen_ai.provider.name", "openai"), ("gen_ai.request.model", "gpt-4o"), ("gen_ai.operation.name", "chat"), ("gen_ai.usage.input_tokens", 100L), ("gen_ai.usage.output_tokens", 10L)),
            Call(2, Start + 1, "assistant", 40, error: true, ("gen_ai.provider.name", "openai"), ("gen_ai.request.model", "gpt-4o"), ("gen_ai.operation.name", "chat"), ("gen_ai.usage.input_tokens", 200L)),
            Call(3, Start + 2, "search", 5, error: false, ("gen_ai.system", "cohere"), ("gen_ai.response.model", "embed-v3"), ("gen_ai.operation.name", "embeddings")),
            Call(4, Start + 3, "web", 1, error: false, ("http.route", "/chat"), ("gen_ai.request.model", "not a call")),
            // Outside the range.
            Call(5, Start + 60_000_000_000, "assistant", 1, error: false, ("gen_ai.operation.name", "chat")),
        ], CancellationToken.None);

        var answer = await new GenAiService(store).SummarizeAsync(new GenAiRequest(Start, Start + 60_000_000_000), CancellationToken.None);

        Assert.False(answer.Truncated);
        Assert.Equal(2, answer.Models.Count);
        var chat = answer.Models[0];
        Assert.Equal(("openai", "gpt-4o", "chat", 2L, 1L, 300L, 10L), (chat.System, chat.Model, chat.Operation, chat.Calls, chat.ErrorCount, chat.InputTokens, chat.OutputTokens));
        Assert.Equal((20_000_000UL, 40_000_000UL), (chat.P50Nanos!.Value, chat.P95Nanos!.Value));
        Assert.Equal(["assistant"], chat.Services);
        Assert.Equal(("cohere", "embed-v3", 1L), (answer.Models[1].System, answer.Models[1].Model, answer.Models[1].Calls));
    }

    [Fact]
    public async Task The_span_cap_stops_the_scan_and_says_so()
    {
        var store = new MemoryTraceStore();
        await store.AppendAsync([.. Enumerable.Range(1, 10).Select(i => Call(i, Start + (ulong)i, "assistant", 1, false, ("gen_ai.operation.name", "chat")))], CancellationToken.None);

        var answer = await new GenAiService(store, maxSpansExamined: 4).SummarizeAsync(new GenAiRequest(Start, Start + 1000), CancellationToken.None);

        Assert.True(answer.Truncated);
        Assert.Equal(4, answer.SpansExamined);
        Assert.Equal(4, Assert.Single(answer.Models).Calls);
    }

    private static Span Call(int n, ulong start, string service, ulong millis, bool error, params (string Key, object Value)[] attributes) => new()
    {
        TraceId = TraceId.FromBytes(BitConverter.GetBytes((long)n).Concat(new byte[8]).ToArray()),
        SpanId = new SpanId((ulong)n),
        Name = "chat",
        Kind = SpanKind.Client,
        Resource = new Resource([new("service.name", service)]),
        StartTimeUnixNano = start,
        EndTimeUnixNano = start + (millis * 1_000_000),
        Status = new SpanStatus(error ? StatusCode.Error : StatusCode.Unset, string.Empty),
        Attributes = [.. attributes.Select(a => new KeyValue(a.Key, a.Value is long l ? AttributeValue.FromInt(l) : AttributeValue.FromString((string)a.Value)))],
    };
}
