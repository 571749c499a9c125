using Threadline.Core.Model;
using Threadline.Query.TraceQL.Ast;

namespace Threadline.Query.TraceQL.Evaluation;

/// <summary>
/// The spans of one trace as the evaluator reads them, by index: a whole trace with its tree
/// (<see cref="TraceTree"/>), or the spans a fetch returned (<see cref="FetchedSpans"/>).
/// </summary>
internal interface ISpanView
{
    int Count { get; }

    SpanId SpanId(int span);
    string Name(int span);
    ulong StartUnixNano(int span);
    ulong DurationNanos(int span);

    /// <summary>An intrinsic field of the span; nothing when this view does not hold it.</summary>
    FieldValue Intrinsic(int span, Intrinsic intrinsic);

    /// <summary>An attribute of the span (or of its parent); nothing when absent.</summary>
    FieldValue Attribute(int span, AttributeExpression attribute);

    /// <summary>The index of the span's parent in this view; -1 for a root or an unknown parent.</summary>
    int Parent(int span);

    // ---- the trace ----
    TraceId TraceId { get; }
    string RootServiceName { get; }
    string RootSpanName { get; }
    ulong TraceStartUnixNano { get; }
    ulong TraceDurationNanos { get; }
}
