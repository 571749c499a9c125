namespace Threadline.Cli.Load;

/// <summary>
/// Requests made before the clock starts, replayed once in order: the measured ingest rate is
/// the server's, not the generator's, and every server of a comparison gets the same bodies.
/// </summary>
internal sealed class PregeneratedRequests : ILoadRequestSource
{
    private readonly IReadOnlyList<LoadRequest> _requests;
    private int _next = -1;

    public PregeneratedRequests(IReadOnlyList<LoadRequest> requests) => _requests = requests;

    public LoadRequest? Next()
    {
        var index = Interlocked.Increment(ref _next);
        return index < _requests.Count ? _requests[index] : null;
    }

    /// <summary>Takes requests from <paramref name="source"/> until they hold at least <paramref name="spans"/> spans or it runs out.</summary>
    public static List<LoadRequest> Take(ILoadRequestSource source, long spans)
    {
        var requests = new List<LoadRequest>();
        long taken = 0;
        while (taken < spans && source.Next() is { } request)
        {
            requests.Add(request);
            taken += request.Spans;
        }
        return requests;
    }
}
