using System.Diagnostics;

namespace Threadline.Sdk.Export;

/// <summary>
/// Keeps exported spans in memory, for tests. It keeps the <see cref="Activity"/> objects themselves,
/// so everything about a span (events, links, <see cref="DroppedCounts"/>) stays inspectable.
/// </summary>
/// <example>
/// <code>
/// var exporter = new InMemorySpanExporter();
/// using var tracing = ThreadlineTracing.Start(o => { o.AddSource("MyCompany.Orders"); o.UseInMemoryExporter(exporter); });
/// ... run the code under test ...
/// Assert.Single(exporter.Spans, s => s.DisplayName == "place order");
/// </code>
/// </example>
public sealed class InMemorySpanExporter : SpanExporter
{
    private readonly ICollection<Activity> _spans;
    private readonly object _sync = new();

    /// <summary>Collects spans into a list of its own, read through <see cref="Spans"/>.</summary>
    public InMemorySpanExporter()
        : this(new List<Activity>())
    {
    }

    /// <summary>Collects spans into the given collection (each added under a lock on this exporter).</summary>
    public InMemorySpanExporter(ICollection<Activity> spans) => _spans = spans ?? throw new ArgumentNullException(nameof(spans));

    /// <summary>A copy of the spans exported so far, in export order.</summary>
    public IReadOnlyList<Activity> Spans
    {
        get
        {
            lock (_sync) return [.. _spans];
        }
    }

    /// <summary>Forgets the spans exported so far.</summary>
    public void Clear()
    {
        lock (_sync) _spans.Clear();
    }

    /// <inheritdoc />
    public override Task<ExportResult> ExportAsync(IReadOnlyList<Activity> batch, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            for (var i = 0; i < batch.Count; i++) _spans.Add(batch[i]);
        }
        return Task.FromResult(ExportResult.Success);
    }
}
