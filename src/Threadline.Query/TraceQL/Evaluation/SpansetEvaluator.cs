using Threadline.Query.TraceQL.Ast;
using Threadline.Storage.Fetch;

namespace Threadline.Query.TraceQL.Evaluation;

/// <summary>
/// Evaluates spanset expressions and pipelines on one trace with Tempo's semantics: each stage
/// maps the trace's spansets to new ones; filters keep the spans for which their condition is
/// true; <c>&amp;&amp;</c> and <c>||</c> join both sides' spans when both (either) matched;
/// structural operators return right-hand spans related to a left-hand span (negated forms: not
/// related to any; union forms: the related spans of both sides).
/// </summary>
internal sealed class SpansetEvaluator(FieldEvaluator fields)
{
    public List<EvaluatedSpanset> Evaluate(PipelineStage stage, ISpanView view, List<EvaluatedSpanset> input) => stage switch
    {
        SpansetFilter filter => Filter(filter, view, input),
        SpansetOperation operation => Operate(operation, view, input),
        Pipeline pipeline => RunPipeline(pipeline, view, input),
        ScalarFilter scalar => ScalarFilter(scalar, view, input),
        GroupBy group => Group(group, view, input),
        Coalesce => Merge(input),
        Select => input,
        _ => throw new InvalidOperationException($"Unknown pipeline stage {stage.GetType().Name}."),
    };

    private List<EvaluatedSpanset> RunPipeline(Pipeline pipeline, ISpanView view, List<EvaluatedSpanset> input)
    {
        foreach (var stage in pipeline.Stages)
        {
            input = Evaluate(stage, view, input);
            if (input.Count == 0) break;
        }
        return input;
    }

    private List<EvaluatedSpanset> Filter(SpansetFilter filter, ISpanView view, List<EvaluatedSpanset> input)
    {
        var output = new List<EvaluatedSpanset>(input.Count);
        foreach (var spanset in input)
        {
            List<int>? matched = null;
            foreach (var span in spanset.Spans)
            {
                if (filter.MatchesAll || fields.IsTrue(filter.Condition, view, span)) (matched ??= []).Add(span);
            }
            if (matched is not null) output.Add(spanset.With(matched));
        }
        return output;
    }

    private List<EvaluatedSpanset> Operate(SpansetOperation operation, ISpanView view, List<EvaluatedSpanset> input)
    {
        var output = new List<EvaluatedSpanset>();
        foreach (var spanset in input)
        {
            List<EvaluatedSpanset> current = [spanset];
            var left = Evaluate(operation.Left, view, current);
            var right = Evaluate(operation.Right, view, current);
            List<int> spans;
            switch (operation.Operator)
            {
                case SpansetOperator.And:
                    if (left.Count == 0 || right.Count == 0) continue;
                    spans = Unique(left, right);
                    break;
                case SpansetOperator.Union:
                    if (left.Count == 0 && right.Count == 0) continue;
                    spans = Unique(left, right);
                    break;
                default:
                    if (right.Count == 0) continue;
                    if (left.Count > 1 || right.Count > 1)
                        throw new TraceQLQueryException(
                            $"Structural operator \"{OperatorText.Of(operation.Operator)}\" needs one spanset on each side per trace, as in Tempo; add | coalesce() after by().");
                    var tree = view as TraceTree ?? throw new InvalidOperationException("Structural operators need the whole trace.");
                    spans = Structure.Relate(operation.Operator, tree, left.Count == 0 ? [] : left[0].Spans, right[0].Spans);
                    break;
            }
            if (spans.Count > 0) output.Add(spanset.With(spans));
        }
        return output;
    }

    private static List<int> Unique(List<EvaluatedSpanset> left, List<EvaluatedSpanset> right)
    {
        var seen = new HashSet<int>();
        var spans = new List<int>();
        foreach (var spanset in left.Concat(right))
        {
            foreach (var span in spanset.Spans)
            {
                if (seen.Add(span)) spans.Add(span);
            }
        }
        return spans;
    }

    private List<EvaluatedSpanset> Group(GroupBy group, ISpanView view, List<EvaluatedSpanset> input)
    {
        var output = new List<EvaluatedSpanset>();
        var name = group.ToString();
        foreach (var spanset in input)
        {
            var groups = new Dictionary<object, (FieldValue Value, List<int> Spans)>();
            var order = new List<object>();
            foreach (var span in spanset.Spans)
            {
                var value = fields.Evaluate(group.Field, view, span);
                var key = value.GroupKey;
                if (!groups.TryGetValue(key, out var entry))
                {
                    entry = (value, []);
                    groups[key] = entry;
                    order.Add(key);
                }
                entry.Spans.Add(span);
            }
            foreach (var key in order)
            {
                var (value, spans) = groups[key];
                var grouped = spanset.With(spans);
                grouped.Attributes.Add(new TraceQLAttribute(name, value.ToAttributeValue()));
                output.Add(grouped);
            }
        }
        return output;
    }

    private static List<EvaluatedSpanset> Merge(List<EvaluatedSpanset> input)
    {
        if (input.Count <= 1) return input;
        return [new EvaluatedSpanset([.. input.SelectMany(s => s.Spans).Distinct()], [])];
    }

    private List<EvaluatedSpanset> ScalarFilter(ScalarFilter filter, ISpanView view, List<EvaluatedSpanset> input)
    {
        var output = new List<EvaluatedSpanset>();
        var op = ValueComparer.ToBinary(filter.Operator);
        foreach (var spanset in input)
        {
            var result = spanset.With(spanset.Spans);
            var left = Scalar(filter.Left, view, result);
            var right = Scalar(filter.Right, view, result);
            if (ValueComparer.Compare(op, left, right)) output.Add(result);
        }
        return output;
    }

    /// <summary>A scalar over one spanset; each aggregate it computes is recorded on the spanset under its name, as Tempo does.</summary>
    private FieldValue Scalar(ScalarExpression expression, ISpanView view, EvaluatedSpanset spanset)
    {
        switch (expression)
        {
            case ScalarLiteral literal:
                return FieldValue.Of(literal.Value);
            case ScalarOperation operation:
                return ValueComparer.Arithmetic(operation.Operator, Scalar(operation.Left, view, spanset), Scalar(operation.Right, view, spanset));
            case Aggregate aggregate:
                var value = Aggregates.Compute(aggregate, fields, view, spanset.Spans);
                var name = aggregate.ToString();
                if (value.IsPresent && !spanset.Attributes.Exists(a => a.Name == name))
                    spanset.Attributes.Add(new TraceQLAttribute(name, value.ToAttributeValue()));
                return value;
            default:
                throw new InvalidOperationException($"Unknown scalar expression {expression.GetType().Name}.");
        }
    }
}
