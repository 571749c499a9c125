using System.Runtime.CompilerServices;
using Threadline.Core.Model;
using Threadline.Storage.ClickHouse.Http;
using Threadline.Storage.ClickHouse.Ingest;
using Threadline.Storage.ClickHouse.Reads;
using Threadline.Storage.ClickHouse.Schema;
using Threadline.Storage.ClickHouse.Sql;
using Threadline.Storage.Fetch;

namespace Threadline.Storage.ClickHouse;

// Trace by id, search and the fetch primitive. Whole traces are read through the trace-id
// lookup table: it names the services and start range of each trace, so the spans query
// touches only those (service, time) ranges of the spans table's primary key.
public sealed partial class ClickHouseTraceStore
{
    // Traces read per round trip when a search or fetch loads the traces it found.
    private const int TracesPerLoad = 200;

    public async ValueTask<IReadOnlyList<Span>> GetTraceAsync(TraceId traceId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var layout = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var traces = await LoadTracesAsync(layout, [traceId], cancellationToken).ConfigureAwait(false);
        return traces.TryGetValue(traceId, out var spans) ? spans : [];
    }

    public async ValueTask<IReadOnlyList<Span>> GetTraceAsync(TraceByIdRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        if (!request.Tenant.IsSingle) return [];
        var spans = await GetTraceAsync(request.TraceId, cancellationToken).ConfigureAwait(false);
        if (spans.Count == 0) return spans;
        var start = spans.Min(s => s.StartTimeUnixNano);
        var end = spans.Max(s => s.EndTimeUnixNano);
        return request.Overlaps(start, end) ? spans : [];
    }

    public async ValueTask<IReadOnlyList<TraceSummary>> SearchAsync(TraceQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        var layout = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var filter = new SpanFilter(query);
        var where = SearchSql.Where(query);
        var limit = query.EffectiveLimit;
        var matches = new Dictionary<TraceId, TraceSummary>();
        var seen = new HashSet<TraceId>();

        // Candidate spans newest first, a page at a time. A trace not yet seen has all its
        // matching spans at or before the page's last start, so it starts no later: once the
        // limit-th match starts after that, no unseen trace can displace it.
        var page = Math.Max(limit * 4, 100);
        for (long offset = 0; ; offset += page, page = Math.Min(page * 2, 20_000))
        {
            var answer = await _connection.QueryAsync(
                $"SELECT trace_id, start_ns FROM {layout.Spans} WHERE {where} ORDER BY start_ns DESC LIMIT {offset}, {page}",
                cancellationToken).ConfigureAwait(false);
            var fresh = new List<TraceId>();
            var rows = 0;
            ulong boundary = 0;
            var reader = new RowBinaryReader(answer);
            while (!reader.AtEnd)
            {
                var traceId = TraceId.FromBytes(reader.Fixed(TraceId.ByteLength));
                boundary = reader.UInt64();
                rows++;
                if (seen.Add(traceId)) fresh.Add(traceId);
            }

            foreach (var chunk in fresh.Chunk(TracesPerLoad))
            {
                var traces = await LoadTracesAsync(layout, chunk, cancellationToken).ConfigureAwait(false);
                foreach (var (traceId, spans) in traces)
                {
                    if (spans.Any(filter.Matches)) matches[traceId] = TraceSummarizer.Summarize(traceId, spans);
                }
            }

            if (rows < page) break;
            if (matches.Count >= limit && NewestFirst(matches.Values).ElementAt(limit - 1).StartTimeUnixNano > boundary) break;
        }
        return [.. NewestFirst(matches.Values).Take(limit)];
    }

    public async IAsyncEnumerable<Spanset> FetchSpansAsync(FetchSpansRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Tenant.IsSingle) yield break;
        var layout = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var filters = request.Conditions.Where(c => c.Filters).ToArray();
        var range = $"start_ns >= {SqlLiteral.UInt(request.StartTimeUnixNano)}" +
            (request.EndTimeUnixNano == 0 ? "" : $" AND start_ns < {SqlLiteral.UInt(request.EndTimeUnixNano)}");
        var where = $"{range} AND {ConditionSql.Where(request.Conditions, request.AllConditions)}";

        // The traces with a candidate span, newest first; then their spans, a chunk at a time,
        // so that a caller who stops early stops the reading too.
        var answer = await _connection.QueryAsync(
            $"SELECT trace_id FROM {layout.Spans} WHERE {where} GROUP BY trace_id ORDER BY max(start_ns) DESC",
            cancellationToken).ConfigureAwait(false);
        var traceIds = new List<TraceId>();
        var reader = new RowBinaryReader(answer);
        while (!reader.AtEnd) traceIds.Add(TraceId.FromBytes(reader.Fixed(TraceId.ByteLength)));

        foreach (var chunk in traceIds.Chunk(TracesPerLoad))
        {
            var traces = await LoadTracesAsync(layout, chunk, cancellationToken).ConfigureAwait(false);
            foreach (var traceId in chunk)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!traces.TryGetValue(traceId, out var spans)) continue;
                List<SpansetSpan>? matching = null;
                foreach (var span in spans)
                {
                    if (!request.InRange(span.StartTimeUnixNano) || !SpanMatching.Passes(filters, request.AllConditions, span)) continue;
                    (matching ??= []).Add(SpanMatching.ToSpansetSpan(span, request.Conditions));
                }
                if (matching is null) continue;
                var summary = TraceSummarizer.Summarize(traceId, spans);
                yield return new Spanset
                {
                    TraceId = traceId,
                    RootServiceName = summary.RootServiceName,
                    RootSpanName = summary.RootSpanName,
                    TraceStartUnixNano = summary.StartTimeUnixNano,
                    TraceEndUnixNano = summary.StartTimeUnixNano + summary.DurationNanos,
                    Spans = matching,
                };
            }
        }
    }

    private static IEnumerable<TraceSummary> NewestFirst(IEnumerable<TraceSummary> summaries) =>
        summaries.OrderByDescending(s => s.StartTimeUnixNano).ThenBy(s => s.TraceId);

    // Every stored span of each trace, ordered by start, exact duplicates (a batch sent again
    // after a failed append) dropped. Traces without spans are absent.
    private async Task<Dictionary<TraceId, IReadOnlyList<Span>>> LoadTracesAsync(
        TableLayout layout, IReadOnlyCollection<TraceId> traceIds, CancellationToken cancellationToken)
    {
        var result = new Dictionary<TraceId, IReadOnlyList<Span>>();
        if (traceIds.Count == 0) return result;
        var ids = string.Join(", ", traceIds.Select(TraceIdLiteral));

        // Where the traces are: per service, the span start range over all the traces asked for.
        var answer = await _connection.QueryAsync(
            $"SELECT service_name, min(start_min), max(start_max) FROM {layout.TraceIndex} WHERE trace_id IN ({ids}) GROUP BY service_name",
            cancellationToken).ConfigureAwait(false);
        var ranges = new List<string>();
        var reader = new RowBinaryReader(answer);
        while (!reader.AtEnd)
        {
            var service = reader.String();
            var min = reader.UInt64();
            var max = reader.UInt64();
            ranges.Add($"(service_name = {SqlLiteral.String(service)} AND start_ns >= {SqlLiteral.UInt(min)} AND start_ns <= {SqlLiteral.UInt(max)})");
        }
        if (ranges.Count == 0) return result;

        var bodies = await _connection.QueryAsync(
            $"SELECT body FROM {layout.Spans} WHERE ({string.Join(" OR ", ranges)}) AND trace_id IN ({ids})",
            cancellationToken).ConfigureAwait(false);
        var byTrace = new Dictionary<TraceId, List<(Span Span, byte[] Body)>>();
        reader = new RowBinaryReader(bodies);
        while (!reader.AtEnd)
        {
            var body = reader.Blob().ToArray();
            var span = SpanBody.Decode(body);
            if (!byTrace.TryGetValue(span.TraceId, out var list)) byTrace.Add(span.TraceId, list = []);
            if (!list.Exists(s => s.Span.SpanId == span.SpanId && s.Body.AsSpan().SequenceEqual(body))) list.Add((span, body));
        }
        foreach (var (traceId, list) in byTrace)
        {
            result.Add(traceId, [.. list.Select(s => s.Span).OrderBy(s => s.StartTimeUnixNano).ThenBy(s => s.SpanId)]);
        }
        return result;
    }

    private static string TraceIdLiteral(TraceId traceId)
    {
        Span<byte> bytes = stackalloc byte[TraceId.ByteLength];
        traceId.WriteBytes(bytes);
        return SqlLiteral.Bytes(bytes);
    }
}
