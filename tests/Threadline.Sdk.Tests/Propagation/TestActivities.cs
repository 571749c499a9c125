using System.Collections.Concurrent;
using System.Diagnostics;

namespace Threadline.Sdk.Tests.Propagation;

/// <summary>
/// Listens to ASP.NET Core, HttpClient and the given test sources, so that each creates its
/// activities, and samples like a parent-based sampler so that the sampled flag travels faithfully.
/// Only the named sources are listened to, so other tests' sources are unaffected.
/// </summary>
internal sealed class TestActivities : IDisposable
{
    public const string AspNetCoreSource = "Microsoft.AspNetCore";
    public const string HttpClientSource = "System.Net.Http";

    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Activity> _started = new();

    public TestActivities(params string[] testSources)
    {
        var sources = new HashSet<string>(testSources) { AspNetCoreSource, HttpClientSource };
        _listener = new ActivityListener
        {
            ShouldListenTo = source => sources.Contains(source.Name),
            Sample = static (ref ActivityCreationOptions<ActivityContext> options) =>
                options.Parent.TraceId == default || (options.Parent.TraceFlags & ActivityTraceFlags.Recorded) != 0
                    ? ActivitySamplingResult.AllDataAndRecorded
                    : ActivitySamplingResult.AllData,
            ActivityStarted = activity => _started.Enqueue(activity),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IEnumerable<Activity> Started => _started;

    /// <summary>The single HttpClient activity of <paramref name="traceId"/>.</summary>
    public Activity HttpClientActivity(ActivityTraceId traceId) =>
        Assert.Single(_started, a => a.Source.Name == HttpClientSource && a.TraceId == traceId);

    public void Dispose() => _listener.Dispose();
}
