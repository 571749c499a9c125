namespace Threadline.Cli.Load;

/// <summary>Another source's requests until they hold a number of spans: an endless source made finite.</summary>
internal sealed class LimitedRequests(ILoadRequestSource source, long spans) : ILoadRequestSource
{
    private long _left = spans;

    public LoadRequest? Next()
    {
        if (Volatile.Read(ref _left) <= 0 || source.Next() is not { } request) return null;
        Interlocked.Add(ref _left, -request.Spans);
        return request;
    }
}
