using Threadline.Query.TraceQL;

namespace Threadline.Server.Tests.Tempo;

/// <summary>
/// A TraceQL engine double for the API layer's tests: answers with the result it is given, or
/// throws the exception it is given, and keeps every request it was asked, so a test can check
/// both what the API sent the engine and how it wrote the engine's answer.
/// </summary>
internal sealed class ScriptedTraceQLEngine : ITraceQLEngine
{
    private readonly List<object> _requests = [];

    public TraceQLSearchResult SearchResult { get; init; } = new() { Traces = [], Statistics = TraceQLStatistics.Empty };
    public TraceQLMetricsResult MetricsResult { get; init; } = new() { Series = [], Statistics = TraceQLStatistics.Empty };
    public Exception? Failure { get; init; }

    public IReadOnlyList<TraceQLSearchRequest> Searches { get { lock (_requests) return _requests.OfType<TraceQLSearchRequest>().ToArray(); } }
    public IReadOnlyList<TraceQLMetricsRequest> MetricsQueries { get { lock (_requests) return _requests.OfType<TraceQLMetricsRequest>().ToArray(); } }

    public ValueTask<TraceQLSearchResult> SearchAsync(TraceQLSearchRequest request, CancellationToken cancellationToken) =>
        Answer(request, SearchResult);

    public ValueTask<TraceQLMetricsResult> QueryRangeAsync(TraceQLMetricsRequest request, CancellationToken cancellationToken) =>
        Answer(request, MetricsResult);

    public ValueTask<TraceQLMetricsResult> QueryInstantAsync(TraceQLMetricsRequest request, CancellationToken cancellationToken) =>
        Answer(request, MetricsResult);

    private ValueTask<T> Answer<T>(object request, T result)
    {
        lock (_requests) _requests.Add(request);
        return Failure is null ? ValueTask.FromResult(result) : ValueTask.FromException<T>(Failure);
    }
}
