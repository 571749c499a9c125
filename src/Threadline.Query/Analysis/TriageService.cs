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
/// attribute values in a <see cref="TriageCounter"/>. A fetch returns only the attributes it
/// names, and triage compares every attribute, so each trace with a counted span is then read
/// whole (one trace at a time, as TraceQL's <c>compare()</c> does); naming every key in the fetch
/// instead would cost the engines a lookup per key per span. No more than one trace is held.
/// At most <see cref="MaxSpansExamined"/> spans are counted; past that the answer says it is truncated.
/// </summary>
public sealed class TriageService
{
    public const long DefaultMaxSpansExamined = 5_000_000;

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

        var scan = new Scan(_store, request, MaxSpansExamined, _traceQL);
        if (request.Baseline == TriageBaseline.Rest)
        {
            await scan.RunAsync(request.StartUnixNano, request.EndUnixNano, Side.Classify, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await scan.RunAsync(request.StartUnixNano, request.EndUnixNano, Side.Selection, cancellationToken).ConfigureAwait(false);
            await scan.RunAsync(previousStart, request.StartUnixNano, Side.Baseline, cancellationToken).ConfigureAwait(false);
        }

        var selection = Describe(request);
        var baseline = request.Baseline == TriageBaseline.Rest
            ? "other spans" + Of(request)
            : selection + " in the previous " + TraceQL.Ast.LiteralText.Duration(length);
        return new TriageAnswer(selection, baseline, scan.Counter.Rank(request.Limit), scan.Truncated, scan.Examined);
    }

    private static string Describe(TriageRequest request) => request.Selection switch
    {
        TriageSelection.Errors => "error spans" + Of(request),
        TriageSelection.Slow slow => "spans" + Of(request) + " lasting at least " + TraceQL.Ast.LiteralText.Duration(slow.MinDurationNanos),
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
    private sealed class Scan(ITraceStore store, TriageRequest request, long maxSpans, TraceQLOptions traceQL)
    {
        private readonly FieldEvaluator _fields = new(traceQL.RegexTimeout);
        private readonly Dictionary<SpanId, bool> _counted = [];

        public TriageCounter Counter { get; } = new();
        public long Examined { get; private set; }
        public bool Truncated { get; private set; }

        public async ValueTask RunAsync(ulong start, ulong end, Side side, CancellationToken cancellationToken)
        {
            if (Truncated) return;
            var fetch = new FetchSpansRequest { StartTimeUnixNano = start, EndTimeUnixNano = end, Conditions = Conditions(side != Side.Classify), Tenant = request.Tenant };
            await foreach (var spanset in store.FetchSpansAsync(fetch, cancellationToken).ConfigureAwait(false))
            {
                _counted.Clear();
                var view = request.Selection is TriageSelection.Filter ? new FetchedSpans(spanset) : null;
                for (var i = 0; i < spanset.Spans.Count && !Truncated; i++)
                {
                    var span = spanset.Spans[i];
                    // Conditions are pruning hints: the store may return spans of other services or names.
                    if ((request.Service is { } s && span.ServiceName != s) || (request.Operation is { } o && span.Name != o)) continue;
                    var selected = IsSelected(span, view, i);
                    if (side != Side.Classify)
                    {
                        if (!selected) continue;
                        selected = side == Side.Selection;
                    }
                    if (Examined >= maxSpans)
                    {
                        Truncated = true;
                        break;
                    }
                    Examined++;
                    _counted[span.SpanId] = selected;
                }
                if (_counted.Count > 0) await CountTraceAsync(spanset.TraceId, start, end, cancellationToken).ConfigureAwait(false);
                if (Truncated) return;
            }
        }

        private async ValueTask CountTraceAsync(TraceId traceId, ulong start, ulong end, CancellationToken cancellationToken)
        {
            var trace = await store.GetTraceAsync(
                new TraceByIdRequest(traceId) { StartHintUnixNano = start, EndHintUnixNano = end, Tenant = request.Tenant }, cancellationToken).ConfigureAwait(false);
            foreach (var span in trace)
            {
                // A span evicted between the fetch and the read is simply not counted.
                if (_counted.Remove(span.SpanId, out var selected)) Counter.CountSpan(span, selected);
            }
        }

        private bool IsSelected(SpansetSpan span, FetchedSpans? view, int index) => request.Selection switch
        {
            TriageSelection.Errors => span.Status.Code == StatusCode.Error,
            TriageSelection.Slow slow => span.DurationNanos >= slow.MinDurationNanos,
            TriageSelection.Filter filter => _fields.IsTrue(filter.Spanset.Condition, view!, index),
            _ => false,
        };

        // Service and name always prune; the selection's own test only when just the selected
        // spans are counted. A TraceQL selection also fetches the fields it tests.
        private List<Condition> Conditions(bool pushSelection)
        {
            var conditions = new List<Condition>();
            if (request.Service is { } service)
                conditions.Add(new Condition(ConditionScope.Intrinsic, Intrinsics.ServiceName, ConditionOperator.Equal, StaticValue.String(service)));
            if (request.Operation is { } operation)
                conditions.Add(new Condition(ConditionScope.Intrinsic, Intrinsics.Name, ConditionOperator.Equal, StaticValue.String(operation)));
            switch (request.Selection)
            {
                case TriageSelection.Errors when pushSelection:
                    conditions.Add(new Condition(ConditionScope.Intrinsic, Intrinsics.Status, ConditionOperator.Equal, StaticValue.Status(StatusCode.Error)));
                    break;
                case TriageSelection.Slow slow when pushSelection:
                    conditions.Add(new Condition(ConditionScope.Intrinsic, Intrinsics.Duration, ConditionOperator.GreaterOrEqual, StaticValue.Duration(slow.MinDurationNanos)));
                    break;
                case TriageSelection.Filter filter:
                    // A disjunction cannot be joined to the service and name with AND; it is then tested here alone.
                    var (pushed, all) = ConditionPushdown.Of(filter.Spanset.Condition);
                    if (pushSelection && all) conditions.AddRange(pushed);
                    var fields = new List<TraceQL.Ast.FieldExpression>();
                    SearchPlanner.CollectFields(filter.Spanset, fields);
                    foreach (var select in fields.Select(ConditionPushdown.FetchOnly).OfType<Condition>())
                    {
                        if (!conditions.Exists(c => c.Scope == select.Scope && c.Name == select.Name)) conditions.Add(select);
                    }
                    break;
            }
            return conditions;
        }
    }
}
