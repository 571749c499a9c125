using System.Diagnostics;
using System.Runtime.CompilerServices;
using Threadline.Sdk.Export;

namespace Threadline.Sdk.Tests;

/// <summary>
/// A tracing session over a source no other test uses. ActivityListeners are process-wide and tests run
/// in parallel, so each test traces its own uniquely named source and nothing else: no framework
/// sources, no process-wide propagator, no environment variables unless the test passes some.
/// </summary>
internal sealed class TestTracing : IDisposable
{
    private TestTracing(ActivitySource source, InMemorySpanExporter exporter, TracingSession session)
    {
        Source = source;
        Exporter = exporter;
        Session = session;
    }

    public ActivitySource Source { get; }

    public InMemorySpanExporter Exporter { get; }

    public TracingSession Session { get; }

    public IReadOnlyList<Activity> Spans => Exporter.Spans;

    public static TestTracing Start(
        Action<TracingOptions>? configure = null,
        IReadOnlyDictionary<string, string>? environment = null,
        bool inMemoryExporter = true,
        [CallerMemberName] string test = "")
    {
        var source = UniqueSource(test);
        var exporter = new InMemorySpanExporter();
        var session = ThreadlineTracing.Start(
            options =>
            {
                options.IncludeFrameworkSources = false;
                options.InstallPropagator = false;
                options.AddSource(source.Name);
                if (inMemoryExporter) options.UseInMemoryExporter(exporter);
                configure?.Invoke(options);
            },
            Environment(environment));
        return new TestTracing(source, exporter, session);
    }

    public static ActivitySource UniqueSource([CallerMemberName] string test = "") =>
        new("Threadline.Sdk.Tests." + test + "." + Guid.NewGuid().ToString("N"));

    public static Func<string, string?> Environment(IReadOnlyDictionary<string, string>? variables) =>
        name => variables is not null && variables.TryGetValue(name, out var value) ? value : null;

    public void Dispose()
    {
        Session.Dispose();
        Source.Dispose();
    }
}

/// <summary>An exporter whose every export waits until the test opens the gate.</summary>
internal sealed class GatedExporter : SpanExporter
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstExportStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Activity> _exported = [];
    private readonly List<int> _batchSizes = [];

    public Task FirstExportStarted => _firstExportStarted.Task;

    public IReadOnlyList<Activity> Exported
    {
        get
        {
            lock (_exported) return [.. _exported];
        }
    }

    public IReadOnlyList<int> BatchSizes
    {
        get
        {
            lock (_exported) return [.. _batchSizes];
        }
    }

    public void Open() => _gate.TrySetResult();

    public override async Task<ExportResult> ExportAsync(IReadOnlyList<Activity> batch, CancellationToken cancellationToken)
    {
        _firstExportStarted.TrySetResult();
        await _gate.Task;
        lock (_exported)
        {
            _batchSizes.Add(batch.Count);
            for (var i = 0; i < batch.Count; i++) _exported.Add(batch[i]);
        }
        return ExportResult.Success;
    }
}

internal static class Waiting
{
    /// <summary>A generous bound so that a broken test fails instead of hanging; not a timing assertion.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
}
