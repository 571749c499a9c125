namespace Threadline.Core.Analysis.GenAi;

/// <summary>The calls of one (provider, model, operation): counts, tokens, latency quantiles and calling services.</summary>
public sealed record GenAiModelSummary(
    string? System,
    string? Model,
    string? Operation,
    long Calls,
    long ErrorCount,
    long InputTokens,
    long OutputTokens,
    ulong? P50Nanos,
    ulong? P95Nanos,
    IReadOnlyList<string> Services);

/// <summary>
/// Sums GenAI calls per (provider, model, operation) in bounded memory: at most
/// <see cref="MaxGroups"/> groups (calls of further ones are counted in <see cref="OmittedCalls"/>)
/// and <see cref="MaxServicesPerGroup"/> services named per group. Not thread-safe.
/// </summary>
public sealed class GenAiSummarizer
{
    public const int MaxGroups = 1000;
    public const int MaxServicesPerGroup = 64;

    private readonly Dictionary<(string?, string?, string?), Group> _groups = [];

    /// <summary>Calls not summarised because <see cref="MaxGroups"/> groups were full.</summary>
    public long OmittedCalls { get; private set; }

    public void Add(GenAiCall call)
    {
        var key = (call.System, call.Model, call.Operation);
        if (!_groups.TryGetValue(key, out var group))
        {
            if (_groups.Count >= MaxGroups)
            {
                OmittedCalls++;
                return;
            }
            _groups.Add(key, group = new Group());
        }
        group.Calls++;
        if (call.IsError) group.Errors++;
        group.InputTokens += call.InputTokens ?? 0;
        group.OutputTokens += call.OutputTokens ?? 0;
        group.Durations.Add(call.DurationNanos);
        if (group.Services.Count < MaxServicesPerGroup) group.Services.Add(call.Service);
    }

    /// <summary>Every group, most calls first (then provider, model and operation, ordinally).</summary>
    public IReadOnlyList<GenAiModelSummary> Summaries() =>
        _groups
            .Select(g => new GenAiModelSummary(g.Key.Item1, g.Key.Item2, g.Key.Item3, g.Value.Calls, g.Value.Errors,
                g.Value.InputTokens, g.Value.OutputTokens, g.Value.Durations.Quantile(0.5), g.Value.Durations.Quantile(0.95),
                [.. g.Value.Services.Order(StringComparer.Ordinal)]))
            .OrderByDescending(s => s.Calls)
            .ThenBy(s => s.System, StringComparer.Ordinal)
            .ThenBy(s => s.Model, StringComparer.Ordinal)
            .ThenBy(s => s.Operation, StringComparer.Ordinal)
            .ToList();

    private sealed class Group
    {
        public long Calls;
        public long Errors;
        public long InputTokens;
        public long OutputTokens;
        public DurationQuantiles Durations { get; } = new();
        public HashSet<string> Services { get; } = new(StringComparer.Ordinal);
    }
}
