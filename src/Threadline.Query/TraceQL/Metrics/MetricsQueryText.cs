using Threadline.Query.TraceQL.Ast;

namespace Threadline.Query.TraceQL.Metrics;

internal static class MetricsQueryText
{
    public static TraceQLQuery Parse(string text, TraceQLOptions options) => throw new NotImplementedException();
}
