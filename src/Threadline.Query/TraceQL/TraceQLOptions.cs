namespace Threadline.Query.TraceQL;

/// <summary>
/// Bounds of the TraceQL engine. Each exists so that one query costs a known amount of work and
/// memory; a request past one is refused with a <see cref="TraceQLQueryException"/> naming it.
/// The defaults here are the only ones.
/// </summary>
public sealed class TraceQLOptions
{
    /// <summary>Widest time range one search covers.</summary>
    public TimeSpan MaxSearchRange { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Range searched when a request gives no start.</summary>
    public TimeSpan DefaultSearchRange { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Widest time range one metrics query covers.</summary>
    public TimeSpan MaxMetricsRange { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Most traces one search returns.</summary>
    public int MaxLimit { get; set; } = 1_000;

    /// <summary>Most spans listed per spanset.</summary>
    public int MaxSpansPerSpanset { get; set; } = 100;

    /// <summary>Most whole traces a structural query loads for exact evaluation; past it the query is refused as too broad.</summary>
    public int MaxTracesEvaluated { get; set; } = 100_000;

    /// <summary>Most series one metrics query returns.</summary>
    public int MaxSeries { get; set; } = 1_000;

    /// <summary>Most samples per series (range divided by step).</summary>
    public int MaxSamplesPerSeries { get; set; } = 11_000;

    /// <summary>Longest query text, in characters.</summary>
    public int MaxQueryLength { get; set; } = 64 * 1024;

    /// <summary>
    /// Deepest nesting in a query: of parentheses and braces, and of operators in one expression
    /// (a chain of 200 <c>||</c> is 200 deep). Bounds the parser's and evaluator's recursion.
    /// </summary>
    public int MaxNestingDepth { get; set; } = 256;

    /// <summary>Longest one regular-expression match may run before the query is refused.</summary>
    public TimeSpan RegexTimeout { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Every bound that is not positive, one message each naming the option; empty when valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        foreach (var (name, value) in Counts())
        {
            if (value < 1) problems.Add($"{name} must be at least 1, got {value}.");
        }
        foreach (var (name, value) in Durations())
        {
            if (value <= TimeSpan.Zero) problems.Add($"{name} must be positive, got {value}.");
        }
        if (DefaultSearchRange > MaxSearchRange)
            problems.Add($"{nameof(DefaultSearchRange)} ({DefaultSearchRange}) must not exceed {nameof(MaxSearchRange)} ({MaxSearchRange}).");
        return problems;
    }

    /// <exception cref="ArgumentException">An option is out of range; the message names every such option.</exception>
    public void Validate()
    {
        var problems = Problems();
        if (problems.Count > 0) throw new ArgumentException("TraceQL options: " + string.Join(" ", problems));
    }

    private IEnumerable<(string Name, int Value)> Counts() =>
    [
        (nameof(MaxLimit), MaxLimit),
        (nameof(MaxSpansPerSpanset), MaxSpansPerSpanset),
        (nameof(MaxTracesEvaluated), MaxTracesEvaluated),
        (nameof(MaxSeries), MaxSeries),
        (nameof(MaxSamplesPerSeries), MaxSamplesPerSeries),
        (nameof(MaxQueryLength), MaxQueryLength),
        (nameof(MaxNestingDepth), MaxNestingDepth),
    ];

    private IEnumerable<(string Name, TimeSpan Value)> Durations() =>
    [
        (nameof(MaxSearchRange), MaxSearchRange),
        (nameof(DefaultSearchRange), DefaultSearchRange),
        (nameof(MaxMetricsRange), MaxMetricsRange),
        (nameof(RegexTimeout), RegexTimeout),
    ];
}
