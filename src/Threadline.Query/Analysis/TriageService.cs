using Threadline.Core.Analysis.Triage;
using Threadline.Core.Model;
using Threadline.Query.TraceQL;
using Threadline.Query.TraceQL.Evaluation;
using Threadline.Query.TraceQL.Planning;
using Threadline.Storage;
using Threadline.Storage.Fetch;

namespace Threadline.Query.Analysis;

/// <summary>
/// Triage over the store: streams the spans of the service and operation through
/// <see cref="ITraceStore.FetchSpansAsync"/> (service, name and time range pushed down so that
/// engines prune), sorts each into the selection or the baseline as it passes and counts its
/// attribute values in a <see cref="TriageCounter"/>; no span is held. A fetch brings back only
/// the attributes it names, so the keys come from the store's catalog of the range (at most
/// <see cref="MaxKeysPerScope"/> per scope, the first ordinally). At most
/// <see cref="MaxSpansExamined"/> spans are read; past that the answer says it is truncated.
/// </summary>
public sealed class TriageService
{
    public const long DefaultMaxSpansExamined = 5_000_000;
    public const int MaxKeysPerScope = 128;

    private static readonly ConditionScope[] CountedScopes = [ConditionScope.Span, ConditionScope.Resource];

    private readonly ITraceStore _store;
    private readonly TraceQLOptions _traceQL;

    public TriageService(ITraceStore store, TraceQLOptions traceQL, long maxSpansExamined = DefaultMaxSpansExamined)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSpansExamined);
        _store = store;
        _traceQL = traceQL;
        MaxSpansExamined = maxSpansExamined;
    }

    public long MaxSpansExamined { get; }

    /// <exception cref="TraceQLQueryException">A regular expression of a TraceQL selection ran past its time bound.</exception>
    public async ValueTask<TriageAnswer> TriageAsync(TriageRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var length = request.EndUnixNano - request.StartUnixNano;
        var previousStart = request.StartUnixNano > length ? request.StartUnixNano - length : 0;
        var keysFrom = request.Baseline == TriageBaseline.Previous ? previousStart : request.StartUnixNano;
        var selects = await AttributeSelectsAsync(keysFrom, request.EndUnixNano, request.Tenant, cancellationToken).ConfigureAwait(false);

        var scan = new Scan(request, new TriageCounter(), MaxSpansExamined, _traceQL);
        if (request.Baseline == TriageBaseline.Rest)
        {
            await scan.RunAsync(_store, request.StartUnixNano, request.EndUnixNano, selects, Side.Classify, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await scan.RunAsync(_store, request.StartUnixNano, request.EndUnixNano, selects, Side.Selection, cancellationToken).ConfigureAwait(false);
            await scan.RunAsync(_store, previousStart, request.StartUnixNano, selects, Side.Baseline, cancellationToken).ConfigureAwait(false);
        }

        var selection = Describe(request);
        var baseline = request.Baseline == TriageBaseline.Rest
            ? "other spans" + Of(request)
            : selection + " in the previous " + LengthText(length);
        return new TriageAnswer(selection, baseline, scan.Counter.Rank(request.Limit), scan.Truncated, scan.Examined);
    }

    private async ValueTask<List<Condition>> AttributeSelectsAsync(ulong start, ulong end, TenantId tenant, CancellationToken cancellationToken)
    {
        var catalog = new CatalogRequest { StartTimeUnixNano = start, EndTimeUnixNano = end, Tenant = tenant };
        var selects = new List<Condition>();
        foreach (var scope in CountedScopes)
        {
            var keys = await _store.GetAttributeKeysAsync(catalog, scope, cancellationToken).ConfigureAwait(false);
            // service.name comes with every fetched span; asking for it again would count it twice.
            foreach (var key in keys.Where(k => scope != ConditionScope.Resource || k != TriageIntrinsics.ServiceName).Take(MaxKeysPerScope))
                selects.Add(Condition.Select(scope, key));
        }
        return selects;
    }

    private static string Describe(TriageRequest request) => request.Selection switch
    {
        TriageSelection.Errors => "error spans" + Of(request),
        TriageSelection.Slow slow => "spans" + Of(request) + " lasting at least " + LengthText(slow.MinDurationNanos),
        TriageSelection.Filter filter => "spans" + Of(request) + " matching " + filter.Query,
        _ => throw new InvalidOperationException("Unknown selection."),
    };

    private static string Of(TriageRequest request) => (request.Service, request.Operation) switch
    {
        (null, null) => string.Empty,
        ({ } service, null) => " of " + service,
        (null, { } operation) => $" named \"{operation}\"",
        ({ } service, { } operation) => $" of {service} named \"{operation}\"",
    };

    private static string LengthText(ulong nanos) => TraceQL.Ast.LiteralText.Duration(nanos);

    private enum Side : byte
    {
        /// <summary>Each span goes to the selection or the baseline by the selection's test.</summary>
        Classify,

        /// <summary>Only selected spans are counted, as the selection.</summary>
        Selection,

        /// <summary>Only selected spans are counted, as the baseline.</summary>
        Baseline,
    }

    /// <summary>The state of one triage across its fetches: the counter, the span budget and the selection's test.</summary>
    private sealed class Scan(TriageRequest request, TriageCounter counter, long maxSpans, TraceQLOptions traceQL)
    {
        private readonly FieldEvaluator _fields = new(traceQL.RegexTimeout);

        public TriageCounter Counter { get; } = counter;
        public long Examined { get; private set; }
        public bool Truncated { get; private set; }

        public async ValueTask RunAsync(ITraceStore store, ulong start, ulong end, List<Condition> selects, Side side, CancellationToken cancellationToken)
        {
            if (Truncated) return;
            var conditions = Filters(pushSelection: side != Side.Classify);
            AddOnce(conditions, selects);
            if (request.Selection is TriageSelection.Filter filter)
            {
                var fields = new List<TraceQL.Ast.FieldExpression>();
                SearchPlanner.CollectFields(filter.Spanset, fields);
                AddOnce(conditions, fields.Select(ConditionPushdown.FetchOnly).OfType<Condition>());
            }
            var keys = KeyCounters(conditions);
            var name = Counter.Key(TriageScope.Intrinsic, TriageIntrinsics.Name);
            var service = Counter.Key(TriageScope.Resource, TriageIntrinsics.ServiceName);

            var fetch = new FetchSpansRequest { StartTimeUnixNano = start, EndTimeUnixNano = end, Conditions = conditions, Tenant = request.Tenant };
            await foreach (var spanset in store.FetchSpansAsync(fetch, cancellationToken).ConfigureAwait(false))
            {
                var view = request.Selection is TriageSelection.Filter ? new FetchedSpans(spanset) : null;
                for (var i = 0; i < spanset.Spans.Count; i++)
                {
                    var span = spanset.Spans[i];
                    // Conditions are pruning hints: the store may return spans of other services or names.
                    if ((request.Service is { } s && span.ServiceName != s) || (request.Operation is { } o && span.Name != o)) continue;
                    if (Examined >= maxSpans)
                    {
                        Truncated = true;
                        return;
                    }
                    Examined++;
                    var selected = IsSelected(span, view, i);
                    if (side != Side.Classify)
                    {
                        if (!selected) continue;
                        selected = side == Side.Selection;
                    }
                    Counter.CountSpan(selected);
                    name?.Count(selected, span.Name);
                    service?.Count(selected, span.ServiceName);
                    foreach (var attribute in span.Attributes)
                    {
                        // Two filters on one attribute fetch it twice; a span counts each value once.
                        if (!keys.TryGetValue((attribute.Scope, attribute.Name), out var key) || key.LastSpan == Examined) continue;
                        key.LastSpan = Examined;
                        key.Counter?.Count(selected, attribute.Value);
                    }
                }
            }
        }

        private bool IsSelected(SpansetSpan span, FetchedSpans? view, int index) => request.Selection switch
        {
            TriageSelection.Errors => span.Status.Code == StatusCode.Error,
            TriageSelection.Slow slow => span.DurationNanos >= slow.MinDurationNanos,
            TriageSelection.Filter filter => _fields.IsTrue(filter.Spanset.Condition, view!, index),
            _ => false,
        };

        // Service and name always prune; the selection's own test only when just the selected spans are counted.
        private List<Condition> Filters(bool pushSelection)
        {
            var conditions = new List<Condition>();
            if (request.Service is { } service)
                conditions.Add(new Condition(ConditionScope.Intrinsic, Intrinsics.ServiceName, ConditionOperator.Equal, StaticValue.String(service)));
            if (request.Operation is { } operation)
                conditions.Add(new Condition(ConditionScope.Intrinsic, Intrinsics.Name, ConditionOperator.Equal, StaticValue.String(operation)));
            if (!pushSelection) return conditions;
            switch (request.Selection)
            {
                case TriageSelection.Errors:
                    conditions.Add(new Condition(ConditionScope.Intrinsic, Intrinsics.Status, ConditionOperator.Equal, StaticValue.Status(StatusCode.Error)));
                    break;
                case TriageSelection.Slow slow:
                    conditions.Add(new Condition(ConditionScope.Intrinsic, Intrinsics.Duration, ConditionOperator.GreaterOrEqual, StaticValue.Duration(slow.MinDurationNanos)));
                    break;
                case TriageSelection.Filter filter:
                    // A disjunction cannot be joined to the service and name with AND; it is then tested here alone.
                    var (pushed, all) = ConditionPushdown.Of(filter.Spanset.Condition);
                    if (all) AddOnce(conditions, pushed);
                    break;
            }
            return conditions;
        }

        private static void AddOnce(List<Condition> conditions, IEnumerable<Condition> more)
        {
            foreach (var condition in more)
            {
                if (!condition.Filters && conditions.Exists(c => c.Scope == condition.Scope && c.Name == condition.Name)) continue;
                conditions.Add(condition);
            }
        }

        // Looked up once per fetch, not per span; only span and resource attributes are counted
        // (unscoped fields fetched for a TraceQL test would count one value twice).
        private Dictionary<(ConditionScope, string), KeySlot> KeyCounters(List<Condition> conditions)
        {
            var keys = new Dictionary<(ConditionScope, string), KeySlot>();
            foreach (var condition in conditions)
            {
                var scope = condition.Scope switch
                {
                    ConditionScope.Span => TriageScope.Span,
                    ConditionScope.Resource => TriageScope.Resource,
                    _ => (TriageScope?)null,
                };
                if (scope is { } s && !(s == TriageScope.Resource && condition.Name == TriageIntrinsics.ServiceName))
                    keys.TryAdd((condition.Scope, condition.Name), new KeySlot(Counter.Key(s, condition.Name)));
            }
            return keys;
        }
    }

    /// <summary>A key's counter (null past the key cap) and the last span that counted it.</summary>
    private sealed class KeySlot(TriageKeyCounter? counter)
    {
        public TriageKeyCounter? Counter { get; } = counter;
        public long LastSpan { get; set; }
    }
}
