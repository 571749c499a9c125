using Threadline.Core.Model;
using Threadline.Storage.Aggregates;
using Threadline.Storage.ClickHouse.Http;
using Threadline.Storage.ClickHouse.Schema;
using Threadline.Storage.ClickHouse.Sql;

namespace Threadline.Storage.ClickHouse;

// Span metrics and service-graph edges: pre-aggregated rows (minute, key, tally) inserted after
// each batch, added up by ClickHouse at read time (sum of counts, sumMap of sketch buckets).
public sealed partial class ClickHouseTraceStore
{
    private const string MetricsColumns = "timestamp, minute, service_name, span_name, kind, status_code, count, errors, zero_count, sum_ns, bucket_index, bucket_count";
    private const string EdgeColumns = "timestamp, minute, caller, callee, connection_type, count, errors, zero_count, sum_ns, bucket_index, bucket_count";

    public async ValueTask<IReadOnlyList<SpanMetricsSeries>> GetSpanMetricsAsync(AggregateQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        if (!query.Tenant.IsSingle) return [];
        var layout = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var filter = query.ServiceName is null ? "" : $" AND service_name = {SqlLiteral.String(query.ServiceName)}";
        var rows = await ReadTalliesAsync(layout.SpanMetrics, ["service_name", "span_name"], ["kind", "status_code"], query, filter, cancellationToken).ConfigureAwait(false);
        return [.. rows
            .Select(r => new SpanMetricsSeries(new SpanMetricsKey(r.Key[0], r.Key[1], (SpanKind)r.Small[0], (StatusCode)r.Small[1]), r.Total, r.Points))
            .OrderBy(s => s.Key.ServiceName, StringComparer.Ordinal).ThenBy(s => s.Key.SpanName, StringComparer.Ordinal)
            .ThenBy(s => s.Key.Kind).ThenBy(s => s.Key.StatusCode)];
    }

    public async ValueTask<IReadOnlyList<ServiceGraphEdge>> GetServiceGraphAsync(AggregateQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        if (!query.Tenant.IsSingle) return [];
        var layout = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var filter = query.ServiceName is null ? ""
            : $" AND (caller = {SqlLiteral.String(query.ServiceName)} OR callee = {SqlLiteral.String(query.ServiceName)})";
        var rows = await ReadTalliesAsync(layout.ServiceGraph, ["caller", "callee"], ["connection_type"], query, filter, cancellationToken).ConfigureAwait(false);
        return [.. rows
            .Select(r => new ServiceGraphEdge(new ServiceGraphKey(r.Key[0], r.Key[1], (ConnectionType)r.Small[0]), r.Total, r.Points))
            .OrderBy(e => e.Key.Caller, StringComparer.Ordinal).ThenBy(e => e.Key.Callee, StringComparer.Ordinal).ThenBy(e => e.Key.ConnectionType)];
    }

    private Task InsertAggregatesAsync(TableLayout layout, AggregateDelta delta, CancellationToken cancellationToken) =>
        Task.WhenAll(InsertMetricsAsync(layout, delta, cancellationToken), InsertEdgesAsync(layout, delta, cancellationToken));

    private async Task InsertMetricsAsync(TableLayout layout, AggregateDelta delta, CancellationToken cancellationToken)
    {
        if (delta.Metrics.Count > 0)
        {
            var rows = new RowBinaryWriter(4096);
            foreach (var (minute, key, tally) in delta.Metrics)
            {
                MinuteColumns(rows, minute);
                rows.String(key.ServiceName);
                rows.String(key.SpanName);
                rows.UInt8((byte)key.Kind);
                rows.UInt8((byte)key.StatusCode);
                TallyColumns(rows, tally);
            }
            await _connection.InsertAsync(layout.SpanMetrics, MetricsColumns, rows.Written, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task InsertEdgesAsync(TableLayout layout, AggregateDelta delta, CancellationToken cancellationToken)
    {
        if (delta.Edges.Count > 0)
        {
            var rows = new RowBinaryWriter(1024);
            foreach (var (minute, key, tally) in delta.Edges)
            {
                MinuteColumns(rows, minute);
                rows.String(key.Caller);
                rows.String(key.Callee);
                rows.UInt8((byte)key.ConnectionType);
                TallyColumns(rows, tally);
            }
            await _connection.InsertAsync(layout.ServiceGraph, EdgeColumns, rows.Written, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void MinuteColumns(RowBinaryWriter rows, long minute)
    {
        rows.DateTime(MinuteClock.StartOf(minute));
        rows.UInt32((uint)Math.Clamp(minute, 0, uint.MaxValue));
    }

    private static void TallyColumns(RowBinaryWriter rows, SpanTally tally)
    {
        rows.UInt64((ulong)tally.Count);
        rows.UInt64((ulong)tally.ErrorCount);
        rows.UInt64((ulong)tally.Durations.ZeroCount);
        rows.Float64(tally.Durations.SumNanos);
        var buckets = tally.Durations.Buckets().ToArray();
        rows.ArrayLength(buckets.Length);
        foreach (var (index, _) in buckets) rows.Int32(index);
        rows.ArrayLength(buckets.Length);
        foreach (var (_, count) in buckets) rows.UInt64((ulong)count);
    }

    // The tallies of each key over the query's minutes, and per step when asked: ClickHouse adds
    // the rows of a (key, step) up; totals are the steps merged here (exact, as sketches merge exactly).
    private async Task<List<TallyRow>> ReadTalliesAsync(
        string table, string[] nameColumns, string[] codeColumns, AggregateQuery query, string filter, CancellationToken cancellationToken)
    {
        var keyColumns = string.Join(", ", nameColumns.Concat(codeColumns));
        var first = Math.Max(query.FirstMinute, 0);
        var end = Math.Min(query.EndMinute, (long)uint.MaxValue + 1);
        if (end <= first) return [];
        var step = query.StepMinutes > 0 ? $"toInt64(intDiv(toInt64(minute) - {first}, {query.StepMinutes}))" : "toInt64(0)";
        var sql =
            $"SELECT {keyColumns}, {step} AS step, sum(count), sum(errors), sum(zero_count), sum(sum_ns), sumMap(bucket_index, bucket_count) " +
            $"FROM {table} WHERE minute >= {first} AND minute < {end}{filter} GROUP BY {keyColumns}, step";
        var answer = await _connection.QueryAsync(sql, cancellationToken).ConfigureAwait(false);
        var strings = nameColumns.Length;
        var smalls = codeColumns.Length;
        var byKey = new Dictionary<string, TallyRow>(StringComparer.Ordinal);
        var reader = new RowBinaryReader(answer);
        while (!reader.AtEnd)
        {
            var key = new string[strings];
            for (var i = 0; i < strings; i++) key[i] = reader.String();
            var small = new byte[smalls];
            for (var i = 0; i < smalls; i++) small[i] = reader.UInt8();
            var stepIndex = reader.Int64();
            var count = (long)reader.UInt64();
            var errors = (long)reader.UInt64();
            var zero = (long)reader.UInt64();
            var sum = reader.Float64();
            var indexes = new int[reader.Count()];
            for (var i = 0; i < indexes.Length; i++) indexes[i] = reader.Int32();
            var counts = new long[reader.Count()];
            for (var i = 0; i < counts.Length; i++) counts[i] = (long)reader.UInt64();

            var id = string.Join('\0', key) + "\0" + string.Join(',', small);
            if (!byKey.TryGetValue(id, out var row)) byKey.Add(id, row = new TallyRow(key, small));
            var durations = DurationSketch.Restore(zero, sum, indexes.Zip(counts));
            row.Add(count, errors, durations, query.StepMinutes > 0 ? MinuteClock.StartOf(first + stepIndex * query.StepMinutes) : null);
        }
        return [.. byKey.Values];
    }

    private sealed class TallyRow(string[] key, byte[] small)
    {
        private long _count;
        private long _errors;
        private readonly DurationSketch _durations = new();
        private readonly List<AggregatePoint> _points = [];

        public string[] Key { get; } = key;
        public byte[] Small { get; } = small;
        public SpanTally Total => new(_count, _errors, _durations);
        public IReadOnlyList<AggregatePoint> Points => [.. _points.OrderBy(p => p.StartUnixNano)];

        public void Add(long count, long errors, DurationSketch durations, ulong? pointStart)
        {
            _count += count;
            _errors += errors;
            _durations.Merge(durations);
            if (pointStart is { } start) _points.Add(new AggregatePoint(start, new SpanTally(count, errors, durations)));
        }
    }
}
