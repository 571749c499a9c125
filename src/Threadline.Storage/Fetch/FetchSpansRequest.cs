namespace Threadline.Storage.Fetch;

/// <summary>
/// What a query engine asks a store for (after Tempo's <c>FetchSpansRequest</c>): spans starting
/// in [<see cref="StartTimeUnixNano"/>, <see cref="EndTimeUnixNano"/>) that satisfy the
/// <see cref="Conditions"/>, grouped by trace. The conditions are hints an engine prunes with:
/// it may return spans that do not satisfy them (a superset), never leave out one that does;
/// the query layer evaluates exactly.
/// </summary>
public sealed record FetchSpansRequest
{
    /// <summary>Earliest span start included (Unix ns); 0 for no lower bound.</summary>
    public ulong StartTimeUnixNano { get; init; }

    /// <summary>Span starts before this are included (Unix ns); 0 for no upper bound.</summary>
    public ulong EndTimeUnixNano { get; init; }

    /// <summary>
    /// The tests, and with <see cref="ConditionOperator.None"/> the attributes to fetch without
    /// filtering. Every attribute named here comes back in <see cref="SpansetSpan.Attributes"/>.
    /// No filtering condition means every span in the range matches.
    /// </summary>
    public IReadOnlyList<Condition> Conditions { get; init; } = [];

    /// <summary>
    /// True: a span matches when every filtering condition holds (<c>&amp;&amp;</c>). False: when
    /// at least one does (<c>||</c>).
    /// </summary>
    public bool AllConditions { get; init; } = true;

    public TenantId Tenant { get; init; }

    /// <summary>The upper bound of the range, with 0 read as unbounded.</summary>
    public ulong EffectiveEndUnixNano => EndTimeUnixNano == 0 ? ulong.MaxValue : EndTimeUnixNano;

    /// <summary>Whether a span start falls in the request's range.</summary>
    public bool InRange(ulong startTimeUnixNano) =>
        startTimeUnixNano >= StartTimeUnixNano && startTimeUnixNano < EffectiveEndUnixNano;
}
