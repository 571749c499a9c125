using System.Collections.ObjectModel;
using System.Diagnostics;

namespace Threadline.Sdk.AspNetCore.Tests;

/// <summary>
/// Where the in-memory exporter puts spans; a test waits here for the span it expects. ASP.NET Core ends
/// its server span after the response has gone out, so the client can hold the answer before the span
/// is exported.
/// </summary>
internal sealed class SpanSink : Collection<Activity>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly object _sync = new();
    private readonly List<(Func<Activity, bool> Match, TaskCompletionSource<Activity> Found)> _waiting = [];

    public Task<Activity> WaitForAsync(Func<Activity, bool> match)
    {
        lock (_sync)
        {
            foreach (var span in Items)
            {
                if (match(span)) return Task.FromResult(span);
            }
            var found = new TaskCompletionSource<Activity>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Add((match, found));
            return found.Task.WaitAsync(Patience);
        }
    }

    protected override void InsertItem(int index, Activity item)
    {
        lock (_sync)
        {
            base.InsertItem(index, item);
            for (var i = _waiting.Count - 1; i >= 0; i--)
            {
                if (!_waiting[i].Match(item)) continue;
                _waiting[i].Found.TrySetResult(item);
                _waiting.RemoveAt(i);
            }
        }
    }
}
