using Threadline.Query.TraceQL.Ast;
using Threadline.Query.TraceQL.Evaluation;
using Threadline.Storage;
using Threadline.Storage.Fetch;

namespace Threadline.Query.TraceQL.Planning;

/// <summary>
/// Plans a search (see <see cref="SearchPlan"/>). A pipeline that starts with a filter and never
/// relates spansets to each other needs only the spans that filter keeps, so one fetch with the
/// filter's conditions (and every other field the query reads, fetched without filtering)
/// answers it. Anything else loads whole candidate traces: for <c>A op B</c> the traces both
/// sides can match (either side for <c>||</c>, the right side alone for the negated operators).
/// </summary>
internal static class SearchPlanner
{
    /// <param name="extraReads">Fields read from each selected span beyond those the expression reads (a metrics query's by() and value).</param>
    /// <param name="wholeTraces">Load whole traces even when fetched spans would do.</param>
    public static SearchPlan Plan(SpansetExpression expression, ulong startUnixNano, ulong endUnixNano, TenantId tenant,
        IReadOnlyList<FieldExpression>? extraReads = null, bool wholeTraces = false)
    {
        var fields = new List<FieldExpression>();
        Collect(expression, fields);
        if (extraReads is not null) fields.AddRange(extraReads);
        var output = fields.Where(IsOutput).Distinct().ToList();

        var stages = expression is Pipeline pipeline ? pipeline.Stages : [expression];
        var spansSuffice = !wholeTraces
            && stages[0] is SpansetFilter
            && stages.Skip(1).All(s => s is SpansetFilter or ScalarFilter or GroupBy or Coalesce or Select)
            && fields.All(FetchableFields.Holds);
        if (spansSuffice)
        {
            var (conditions, all) = ConditionPushdown.Of(((SpansetFilter)stages[0]).Condition);
            foreach (var field in fields.Distinct())
            {
                if (ConditionPushdown.FetchOnly(field) is { } fetchOnly && !conditions.Exists(c => c.Scope == fetchOnly.Scope && c.Name == fetchOnly.Name))
                    conditions.Add(fetchOnly);
            }
            var request = Request(conditions, all, startUnixNano, endUnixNano, tenant);
            return new SearchPlan(expression, request, null, output);
        }
        return new SearchPlan(expression, null, Candidates(expression, startUnixNano, endUnixNano, tenant), output);
    }

    private static FetchSpansRequest Request(List<Condition> conditions, bool all, ulong start, ulong end, TenantId tenant) => new()
    {
        StartTimeUnixNano = start,
        EndTimeUnixNano = end,
        Conditions = conditions,
        AllConditions = all,
        Tenant = tenant,
    };

    private static CandidateTraces Candidates(PipelineStage stage, ulong start, ulong end, TenantId tenant)
    {
        switch (stage)
        {
            case SpansetFilter filter:
                var (conditions, all) = ConditionPushdown.Of(filter.Condition);
                return new FetchedTraces(Request(conditions, all, start, end, tenant));
            case Pipeline pipeline:
                return Candidates(pipeline.Stages[0], start, end, tenant);
            case SpansetOperation operation:
                var right = Candidates(operation.Right, start, end, tenant);
                switch (operation.Operator)
                {
                    case SpansetOperator.Union:
                        return new EitherTraces(Candidates(operation.Left, start, end, tenant), right);
                    case SpansetOperator.NotChild or SpansetOperator.NotParent or SpansetOperator.NotDescendant
                        or SpansetOperator.NotAncestor or SpansetOperator.NotSibling:
                        // The left side may be empty in a matching trace.
                        return right;
                    default:
                        var left = Candidates(operation.Left, start, end, tenant);
                        return IsAll(left) ? right : IsAll(right) ? left : new BothTraces(left, right);
                }
            default:
                // A pipeline opening with a grouping or a scalar filter works on every span.
                return new FetchedTraces(Request([], true, start, end, tenant));
        }
    }

    private static bool IsAll(CandidateTraces candidates) =>
        candidates is FetchedTraces fetched && !fetched.Request.Conditions.Any(c => c.Filters);

    /// <summary>The fields a result shows on its spans: what the query tests or selects, except those every span shows anyway (Tempo's choice).</summary>
    private static bool IsOutput(FieldExpression field) => field switch
    {
        AttributeExpression => true,
        IntrinsicExpression intrinsic => intrinsic.Intrinsic is not (Intrinsic.Name or Intrinsic.Duration or Intrinsic.TraceDuration
            or Intrinsic.TraceRootName or Intrinsic.TraceRootService or Intrinsic.TraceId or Intrinsic.SpanId),
        _ => false,
    };

    /// <summary>Every attribute and intrinsic the expression reads, in order of appearance.</summary>
    private static void Collect(PipelineStage stage, List<FieldExpression> fields)
    {
        switch (stage)
        {
            case SpansetFilter filter: Collect(filter.Condition, fields); break;
            case SpansetOperation operation:
                Collect(operation.Left, fields);
                Collect(operation.Right, fields);
                break;
            case Pipeline pipeline:
                foreach (var inner in pipeline.Stages) Collect(inner, fields);
                break;
            case ScalarFilter scalar:
                Collect(scalar.Left, fields);
                Collect(scalar.Right, fields);
                break;
            case GroupBy group: Collect(group.Field, fields); break;
            case Select select:
                foreach (var field in select.Fields) Collect(field, fields);
                break;
        }
    }

    private static void Collect(ScalarExpression scalar, List<FieldExpression> fields)
    {
        switch (scalar)
        {
            case Aggregate { Field: { } field }: Collect(field, fields); break;
            case ScalarOperation operation:
                Collect(operation.Left, fields);
                Collect(operation.Right, fields);
                break;
        }
    }

    private static void Collect(FieldExpression expression, List<FieldExpression> fields)
    {
        switch (expression)
        {
            case AttributeExpression or IntrinsicExpression: fields.Add(expression); break;
            case BinaryExpression binary:
                Collect(binary.Left, fields);
                Collect(binary.Right, fields);
                break;
            case UnaryExpression unary: Collect(unary.Operand, fields); break;
        }
    }
}
