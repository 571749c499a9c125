using Threadline.Query.TraceQL.Ast;
using Threadline.Storage.Fetch;

namespace Threadline.Query.TraceQL.Planning;

/// <summary>
/// How a search runs. Either <see cref="SpanFetch"/> is set: one fetch returns every span the
/// query can keep, with every field it reads, and the evaluator works on those spans alone; or
/// <see cref="Candidates"/> is: fetches narrow the traces that can match, and each candidate is
/// then loaded whole (structural operators and trace-wide fields need the whole tree).
/// </summary>
internal sealed record SearchPlan(
    SpansetExpression Expression,
    FetchSpansRequest? SpanFetch,
    CandidateTraces? Candidates,
    IReadOnlyList<FieldExpression> OutputFields);

/// <summary>Which traces can match: a superset, computed from fetches.</summary>
internal abstract record CandidateTraces;

/// <summary>Traces with a span the request matches.</summary>
internal sealed record FetchedTraces(FetchSpansRequest Request) : CandidateTraces;

/// <summary>Traces in both sets.</summary>
internal sealed record BothTraces(CandidateTraces Left, CandidateTraces Right) : CandidateTraces;

/// <summary>Traces in either set.</summary>
internal sealed record EitherTraces(CandidateTraces Left, CandidateTraces Right) : CandidateTraces;
