using Threadline.Core.Analysis.GenAi;
using Threadline.Core.Model;
using Threadline.Storage;
using Threadline.Storage.Fetch;

namespace Threadline.Query.Analysis;

/// <summary>What a GenAI summary covers: spans starting in [start, end).</summary>
public sealed record GenAiRequest(ulong StartUnixNano, ulong EndUnixNano)
{
    public TenantId Tenant { get; init; }
}

/// <summary>The summaries, and whether the span cap or the group cap cut the count short.</summary>
public sealed record GenAiAnswer(IReadOnlyList<GenAiModelSummary> Models, bool Truncated, long SpansExamined);

/// <summary>
/// GenAI calls over the store: one fetch whose conditions (any of <c>gen_ai.operation.name</c>,
/// <c>gen_ai.provider.name</c>, <c>gen_ai.system</c> present) let engines prune to GenAI spans,
/// summed per provider, model and operation by a <see cref="GenAiSummarizer"/>. At most
/// <see cref="MaxSpansExamined"/> spans are read.
/// </summary>
public sealed class GenAiService
{
    public const long DefaultMaxSpansExamined = 5_000_000;

    private static readonly IReadOnlyList<Condition> Conditions =
    [
        .. GenAiCall.Keys.Marking.Select(key => new Condition(ConditionScope.Span, key, ConditionOperator.Exists)),
        .. GenAiCall.Keys.All.Except(GenAiCall.Keys.Marking).Select(key => Condition.Select(ConditionScope.Span, key)),
    ];

    private readonly ITraceStore _store;

    public GenAiService(ITraceStore store, long maxSpansExamined = DefaultMaxSpansExamined)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSpansExamined);
        _store = store;
        MaxSpansExamined = maxSpansExamined;
    }

    public long MaxSpansExamined { get; }

    public async ValueTask<GenAiAnswer> SummarizeAsync(GenAiRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var summarizer = new GenAiSummarizer();
        var fetch = new FetchSpansRequest
        {
            StartTimeUnixNano = request.StartUnixNano,
            EndTimeUnixNano = request.EndUnixNano,
            Conditions = Conditions,
            AllConditions = false,
            Tenant = request.Tenant,
        };
        long examined = 0;
        var truncated = false;
        var attributes = new List<KeyValue>(GenAiCall.Keys.All.Count);
        await foreach (var spanset in _store.FetchSpansAsync(fetch, cancellationToken).ConfigureAwait(false))
        {
            foreach (var span in spanset.Spans)
            {
                if (examined >= MaxSpansExamined)
                {
                    truncated = true;
                    break;
                }
                examined++;
                attributes.Clear();
                foreach (var fetched in span.Attributes) attributes.Add(new KeyValue(fetched.Name, fetched.Value));
                // The conditions are hints: a span without any GenAI marker is dropped here.
                if (GenAiCall.TryRead(attributes, span.ServiceName, span.Status.Code == StatusCode.Error, span.DurationNanos, out var call))
                    summarizer.Add(call);
            }
            if (truncated) break;
        }
        return new GenAiAnswer(summarizer.Summaries(), truncated || summarizer.OmittedCalls > 0, examined);
    }
}
