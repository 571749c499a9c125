using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Threadline.Core.Model;
using Threadline.Storage.Aggregates;
using Threadline.Storage.ClickHouse.Http;
using Threadline.Storage.ClickHouse.Ingest;
using Threadline.Storage.ClickHouse.Schema;

namespace Threadline.Storage.ClickHouse;

/// <summary>
/// Keeps spans in ClickHouse, one server or a cluster behind Distributed tables, so that any
/// number of stateless <c>threadline serve</c> nodes ingest into and query the same spans.
/// </summary>
/// <remarks>
/// <para>
/// An append inserts the batch's span rows and trace-index rows, then the span-metrics and
/// service-graph tallies it counted, and completes only when ClickHouse has them (through a
/// Distributed table: when every shard has its rows). Any failure throws
/// <see cref="StoreUnavailableException"/>: the receiver answers 503 and the client sends the
/// batch again, so a span is stored at least once. Reads drop exact duplicates.
/// </para>
/// <para>
/// Reads push time, service and the conditions down as SQL (a superset), then decode the
/// matching spans' bodies and evaluate exactly with <see cref="Fetch.SpanMatching"/>. Catalogs
/// and aggregates are GROUP BY queries in ClickHouse.
/// </para>
/// <para>
/// Service-graph pairing (a client span meeting its server child) happens on the node that
/// receives both; with several nodes, pairs split across nodes are not counted unless tail
/// sampling routes each trace to one node.
/// </para>
/// </remarks>
public sealed partial class ClickHouseTraceStore : ITraceStore, IStoreMetrics, IAsyncDisposable
{
    private readonly ClickHouseStoreOptions _options;
    private readonly ILogger? _logger;
    private readonly ClickHouseConnection _connection;
    private readonly SemaphoreSlim _openLock = new(1, 1);
    private readonly Lock _aggregateLock = new();
    private readonly IngestAggregates _aggregates;
    private readonly CancellationTokenSource _stopping = new();
    private TableLayout? _layout;
    private Task? _retention;
    private readonly GroupInsert<PendingAppend> _inserts;
    private long _appendedSpans;
    private long _failedAppends;

    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public ClickHouseTraceStore(ClickHouseStoreOptions options, ILogger? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = logger;
        _connection = new ClickHouseConnection(new Uri(options.Url), database: null, TimeSpan.FromSeconds(options.TimeoutSeconds));
        // Tallies leave for ClickHouse after every batch, so the entry bounds only have to hold one batch.
        _aggregates = new IngestAggregates(
            new AggregateLimits(MaxEntries: 1_000_000, MaxKeysPerMinute: 100_000, options.MaxPendingPairs, TimeSpan.FromSeconds(options.PairingWaitSeconds)),
            time);
        _inserts = new GroupInsert<PendingAppend>(InsertAsync, a => a.Spans.Count, MaxSpansPerInsert, MaxConcurrentInserts);
    }

    // Large enough that ClickHouse writes few parts, small enough to bound one request's memory.
    private const int MaxSpansPerInsert = 200_000;

    // Inserts in flight at once: enough to overlap round trips, few enough to keep parts large.
    private const int MaxConcurrentInserts = 3;

    /// <summary>The server version the engine found, once connected; null before.</summary>
    public Version? ServerVersion => _layout?.Features.Version;

    public void PublishInstruments(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        meter.CreateObservableCounter("threadline_store_clickhouse_appended_spans", () => Interlocked.Read(ref _appendedSpans), "{span}", "Spans the ClickHouse store inserted.");
        meter.CreateObservableCounter("threadline_store_clickhouse_failed_appends", () => Interlocked.Read(ref _failedAppends), "{batch}", "Batches ClickHouse did not take (answered 503 to the sender).");
    }

    public async ValueTask AppendAsync(IReadOnlyList<Span> spans, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spans);
        cancellationToken.ThrowIfCancellationRequested();
        if (spans.Count == 0) return;
        for (var i = 0; i < spans.Count; i++)
        {
            if (spans[i] is null) throw new ArgumentException($"Span {i} of the batch is null.", nameof(spans));
        }

        await OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = new SpanRows();
        rows.Add(spans);
        await _inserts.SubmitAsync(new PendingAppend(spans, rows)).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Spans tail sampling dropped: counted in the span-metrics and service-graph tables exactly as
    /// appended spans are (so they pair with stored spans of their trace), never stored. Completes
    /// once the aggregate rows are inserted.
    /// </summary>
    public async ValueTask RecordAggregatesAsync(IReadOnlyList<Span> spans, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spans);
        cancellationToken.ThrowIfCancellationRequested();
        if (spans.Count == 0) return;
        for (var i = 0; i < spans.Count; i++)
        {
            if (spans[i] is null) throw new ArgumentException($"Span {i} of the batch is null.", nameof(spans));
        }

        await OpenAsync(cancellationToken).ConfigureAwait(false);
        AggregateDelta delta;
        lock (_aggregateLock)
        {
            _aggregates.BeginBatch();
            for (var i = 0; i < spans.Count; i++) _aggregates.Observe(spans[i]);
            delta = _aggregates.Drain();
        }
        await InsertAggregatesAsync(_layout!, delta, CancellationToken.None).ConfigureAwait(false);
    }

    // One insert per table for the batches of every append waiting: RowBinary rows simply concatenate.
    private async Task InsertAsync(IReadOnlyList<PendingAppend> appends)
    {
        var layout = _layout!;
        try
        {
            // Both or the append fails: a trace-index row without its spans only widens a lookup,
            // and spans whose index row is missing are sent again by the client.
            await Task.WhenAll(
                _connection.InsertAsync(layout.TraceIndex, SpanRows.IndexColumns, Concatenate(appends, a => a.Rows.Index), CancellationToken.None),
                _connection.InsertAsync(layout.Spans, SpanRows.SpanColumns, Concatenate(appends, a => a.Rows.Spans), CancellationToken.None)).ConfigureAwait(false);
        }
        catch (StoreUnavailableException)
        {
            Interlocked.Add(ref _failedAppends, appends.Count);
            throw;
        }

        // Counted only once the spans are in: a batch that failed is sent again and counted then.
        AggregateDelta delta;
        lock (_aggregateLock)
        {
            _aggregates.BeginBatch();
            foreach (var append in appends)
            {
                foreach (var span in append.Spans) _aggregates.Observe(span);
            }
            delta = _aggregates.Drain();
        }
        await InsertAggregatesAsync(layout, delta, CancellationToken.None).ConfigureAwait(false);
        Interlocked.Add(ref _appendedSpans, appends.Sum(a => (long)a.Spans.Count));
    }

    private static ReadOnlyMemory<byte> Concatenate(IReadOnlyList<PendingAppend> appends, Func<PendingAppend, ReadOnlyMemory<byte>> part)
    {
        if (appends.Count == 1) return part(appends[0]);
        var all = new byte[appends.Sum(a => part(a).Length)];
        var at = 0;
        foreach (var append in appends)
        {
            part(append).Span.CopyTo(all.AsSpan(at));
            at += part(append).Length;
        }
        return all;
    }

    private sealed record PendingAppend(IReadOnlyList<Span> Spans, SpanRows Rows);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_retention is not null)
        {
            try
            {
                await _retention.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        _connection.Dispose();
        _stopping.Dispose();
        _openLock.Dispose();
    }

    // Connects, reads the version and migrates the schema once; a failure is thrown to the
    // caller and the next call tries again.
    private async ValueTask<TableLayout> OpenAsync(CancellationToken cancellationToken)
    {
        if (_layout is { } ready) return ready;
        await _openLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_layout is { } raced) return raced;
            var version = await _connection.ExecuteAsync("SELECT version() FORMAT TSV", cancellationToken).ConfigureAwait(false);
            var features = ServerFeatures.Parse(version);
            var layout = new TableLayout(_options.Database, string.IsNullOrEmpty(_options.Cluster) ? null : _options.Cluster, features);
            await SchemaMigrations.MigrateAsync(_connection, layout, cancellationToken).ConfigureAwait(false);
            _logger?.LogInformation("ClickHouse {Version} at {Url}: schema version {Schema} in {Database}{Cluster}.",
                version.Trim(), _options.Url, SchemaMigrations.CurrentVersion, _options.Database,
                layout.Cluster is null ? "" : " over cluster " + layout.Cluster);
            _layout = layout;
            _retention = Task.Run(() => RunRetentionAsync(_stopping.Token), CancellationToken.None);
            return layout;
        }
        finally
        {
            _openLock.Release();
        }
    }
}
