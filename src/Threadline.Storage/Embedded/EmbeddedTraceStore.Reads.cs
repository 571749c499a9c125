using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Threadline.Core.Model;
using Threadline.Storage.Aggregates;
using Threadline.Storage.Embedded.Aggregates;
using Threadline.Storage.Embedded.Blocks;
using Threadline.Storage.Embedded.Format;
using Threadline.Storage.Fetch;

namespace Threadline.Storage.Embedded;

// Every read answers from the blocks and the heads of one StoreView. A trace may be spread over
// several of them (its spans arrived across cuts): pieces are merged, and a span found in two
// places (a crash between a block's write and its cut's commit replays the log) counts once.
// A block that turns out damaged while read is reported (log, metric) and left out of the
// answer; it never contributes wrong data.
public sealed partial class EmbeddedTraceStore
{
    private const int BlockSpansetsPerYield = 256;

    public ValueTask<IReadOnlyList<Span>> GetTraceAsync(TraceId traceId, CancellationToken cancellationToken) =>
        GetTraceAsync(new TraceByIdRequest(traceId), cancellationToken);

    public async ValueTask<IReadOnlyList<Span>> GetTraceAsync(TraceByIdRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        if (!request.Tenant.IsSingle) return [];
        using var view = AcquireView();
        var spans = await WholeTraceAsync(view, request.TraceId, request, cancellationToken).ConfigureAwait(false);
        if (spans.Count == 0) return [];
        if (!request.Overlaps(spans.Min(s => s.StartTimeUnixNano), spans.Max(s => s.EndTimeUnixNano))) return [];
        return spans;
    }

    public async ValueTask<IReadOnlyList<TraceSummary>> SearchAsync(TraceQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        var filter = new SpanFilter(query);
        using var view = AcquireView();

        // Candidates: traces with a span that may match, with the start of what was seen of
        // them. They are checked on their whole trace newest first until the limit is met. The
        // heads are the newest data; blocks are read newest first, and the reading stops once
        // `limit` traces are confirmed that start after everything the unread blocks hold (a
        // trace found only there starts no later than their newest span).
        var candidates = new Dictionary<TraceId, ulong>();
        foreach (var head in view.Heads)
        {
            foreach (var summary in await head.Store.SearchAsync(query with { Limit = TraceQuery.MaxLimit * 100 }, cancellationToken).ConfigureAwait(false))
                Candidate(candidates, summary.TraceId, summary.StartTimeUnixNano);
        }
        var request = SearchHints(query);
        var blocks = view.Blocks.OrderByDescending(b => b.Block.Meta.MaxStartUnixNano).ToArray();
        var limit = query.EffectiveLimit;
        var confirmed = new List<TraceSummary>();
        var checkedTraces = new HashSet<TraceId>();
        for (var next = 0; ; next++)
        {
            // A trace not yet a candidate has its matching spans only in unread blocks, so it
            // starts no later than their newest span; a candidate starts no later than the
            // earliest piece seen of it. Confirm candidates newest first while one could still
            // enter the newest `limit`; stop reading once nothing unread or unconfirmed can.
            var settled = next == blocks.Length;
            var bound = settled ? 0 : blocks[next].Block.Meta.MaxStartUnixNano;
            foreach (var (traceId, seenStart) in candidates.OrderByDescending(c => c.Value).ThenBy(c => c.Key))
            {
                if (seenStart <= Math.Max(bound, LimitthStart())) break;
                if (!checkedTraces.Add(traceId)) continue;
                var spans = await WholeTraceAsync(view, traceId, null, cancellationToken).ConfigureAwait(false);
                if (spans.Count == 0 || !spans.Any(filter.Matches)) continue;
                confirmed.Add(TraceSummarizer.Summarize(traceId, spans));
            }
            if (settled || (confirmed.Count >= limit && LimitthStart() >= bound)) break;
            foreach (var piece in FetchBlock(blocks[next], request, cancellationToken))
                Candidate(candidates, piece.Spanset.TraceId, piece.Spanset.TraceStartUnixNano);
        }
        confirmed.Sort(static (a, b) => b.StartTimeUnixNano != a.StartTimeUnixNano ? b.StartTimeUnixNano.CompareTo(a.StartTimeUnixNano) : a.TraceId.CompareTo(b.TraceId));
        return confirmed.Count > limit ? confirmed[..limit] : confirmed;

        // The start of the limit-th newest confirmed trace; 0 while fewer are confirmed.
        ulong LimitthStart() =>
            confirmed.Count < limit ? 0 : confirmed.Select(t => t.StartTimeUnixNano).OrderDescending().ElementAt(limit - 1);

        static void Candidate(Dictionary<TraceId, ulong> candidates, TraceId id, ulong start)
        {
            if (!candidates.TryGetValue(id, out var seen) || start < seen) candidates[id] = start;
        }
    }

    public async IAsyncEnumerable<Spanset> FetchSpansAsync(FetchSpansRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Tenant.IsSingle) yield break;
        using var view = AcquireView();

        // A trace found in one place only is answered from there as it comes. A trace with
        // pieces elsewhere is held until every source was read, then merged and its
        // trace-level fields taken from the whole trace.
        var split = new Dictionary<TraceId, Dictionary<SpanId, SpansetSpan>>();
        for (var b = 0; b < view.Blocks.Count; b++)
        {
            var scanned = 0;
            foreach (var piece in FetchBlock(view.Blocks[b], request, cancellationToken))
            {
                if (++scanned % BlockSpansetsPerYield == 0) await Task.Yield();
                if (IsElsewhere(view, piece.Spanset.TraceId, b, null)) Hold(split, piece.Spanset);
                else yield return piece.Spanset;
            }
        }
        foreach (var head in view.Heads)
        {
            await foreach (var spanset in head.Store.FetchSpansAsync(request, cancellationToken).ConfigureAwait(false))
            {
                if (IsElsewhere(view, spanset.TraceId, -1, head)) Hold(split, spanset);
                else yield return spanset;
            }
        }
        foreach (var (traceId, spans) in split)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var whole = await WholeTraceAsync(view, traceId, null, cancellationToken).ConfigureAwait(false);
            if (whole.Count == 0) continue;
            var summary = TraceSummarizer.Summarize(traceId, whole);
            yield return new Spanset
            {
                TraceId = traceId,
                RootServiceName = summary.RootServiceName,
                RootSpanName = summary.RootSpanName,
                TraceStartUnixNano = summary.StartTimeUnixNano,
                TraceEndUnixNano = summary.StartTimeUnixNano + summary.DurationNanos,
                Spans = [.. spans.Values.OrderBy(s => s.StartTimeUnixNano)],
            };
        }

        static void Hold(Dictionary<TraceId, Dictionary<SpanId, SpansetSpan>> split, Spanset spanset)
        {
            if (!split.TryGetValue(spanset.TraceId, out var spans)) split.Add(spanset.TraceId, spans = []);
            foreach (var span in spanset.Spans) spans.TryAdd(span.SpanId, span);
        }
    }

    // ---- catalogs since start ----

    public async ValueTask<IReadOnlyList<string>> GetServicesAsync(CancellationToken cancellationToken)
    {
        using var view = AcquireView();
        var services = new HashSet<string>(StringComparer.Ordinal);
        foreach (var head in view.Heads) services.UnionWith(await head.Store.GetServicesAsync(cancellationToken).ConfigureAwait(false));
        foreach (var block in view.Blocks) services.UnionWith(block.Block.Meta.Services);
        return [.. services.Order(StringComparer.Ordinal)];
    }

    public async ValueTask<IReadOnlyList<Operation>> GetOperationsAsync(string service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        using var view = AcquireView();
        var operations = new HashSet<Operation>();
        foreach (var head in view.Heads) operations.UnionWith(await head.Store.GetOperationsAsync(service, cancellationToken).ConfigureAwait(false));
        foreach (var block in view.Blocks)
        {
            foreach (var operation in block.Block.Meta.Operations)
            {
                if (operation.Service == service) operations.Add(new Operation(operation.Name, operation.Kind));
            }
        }
        return SortOperations(operations);
    }

    public async ValueTask<IReadOnlyList<string>> GetTagKeysAsync(CancellationToken cancellationToken)
    {
        using var view = AcquireView();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var head in view.Heads) keys.UnionWith(await head.Store.GetTagKeysAsync(cancellationToken).ConfigureAwait(false));
        foreach (var block in view.Blocks)
        {
            keys.UnionWith(block.Block.Meta.SpanAttributeKeys);
            keys.UnionWith(block.Block.Meta.ResourceAttributeKeys);
        }
        return [.. keys.Order(StringComparer.Ordinal)];
    }

    public async ValueTask<IReadOnlyList<string>> GetTagValuesAsync(string key, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (limit <= 0) return [];
        using var view = AcquireView();
        var texts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var head in view.Heads) texts.UnionWith(await head.Store.GetTagValuesAsync(key, limit, cancellationToken).ConfigureAwait(false));
        foreach (var block in view.Blocks)
        {
            foreach (var value in ReadBlock(block, b => b.AttributeValues(ConditionScope.Any, key, 0, ulong.MaxValue, limit), [])) texts.Add(value.ToString());
        }
        return [.. texts.Order(StringComparer.Ordinal).Take(limit)];
    }

    // ---- catalogs over a time range ----

    public async ValueTask<IReadOnlyList<string>> GetServicesAsync(CatalogRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Tenant.IsSingle) return [];
        using var view = AcquireView();
        var services = new HashSet<string>(StringComparer.Ordinal);
        foreach (var head in view.Heads) services.UnionWith(await head.Store.GetServicesAsync(request, cancellationToken).ConfigureAwait(false));
        foreach (var block in view.Blocks)
        {
            switch (Coverage(block.Block.Meta, request))
            {
                case RangeCoverage.Whole:
                    services.UnionWith(block.Block.Meta.Services);
                    break;
                case RangeCoverage.Part:
                    foreach (var span in SpansIn(block, request, cancellationToken)) services.Add(span.ServiceName);
                    break;
            }
        }
        return [.. services.Order(StringComparer.Ordinal)];
    }

    public async ValueTask<IReadOnlyList<Operation>> GetOperationsAsync(CatalogRequest request, string service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(service);
        if (!request.Tenant.IsSingle) return [];
        using var view = AcquireView();
        var operations = new HashSet<Operation>();
        foreach (var head in view.Heads) operations.UnionWith(await head.Store.GetOperationsAsync(request, service, cancellationToken).ConfigureAwait(false));
        foreach (var block in view.Blocks)
        {
            switch (Coverage(block.Block.Meta, request))
            {
                case RangeCoverage.Whole:
                    foreach (var operation in block.Block.Meta.Operations)
                    {
                        if (operation.Service == service) operations.Add(new Operation(operation.Name, operation.Kind));
                    }
                    break;
                case RangeCoverage.Part:
                    foreach (var span in SpansIn(block, request, cancellationToken))
                    {
                        if (span.ServiceName == service) operations.Add(new Operation(span.Name, span.Kind));
                    }
                    break;
            }
        }
        return SortOperations(operations);
    }

    public async ValueTask<IReadOnlyList<string>> GetAttributeKeysAsync(CatalogRequest request, ConditionScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        SpanMatching.CheckCatalogScope(scope);
        if (!request.Tenant.IsSingle) return [];
        using var view = AcquireView();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var head in view.Heads) keys.UnionWith(await head.Store.GetAttributeKeysAsync(request, scope, cancellationToken).ConfigureAwait(false));
        foreach (var block in view.Blocks)
        {
            switch (Coverage(block.Block.Meta, request))
            {
                case RangeCoverage.Whole:
                    var meta = block.Block.Meta;
                    if (scope is ConditionScope.Any or ConditionScope.Span) keys.UnionWith(meta.SpanAttributeKeys);
                    if (scope is ConditionScope.Any or ConditionScope.Resource) keys.UnionWith(meta.ResourceAttributeKeys);
                    if (scope is ConditionScope.Event) keys.UnionWith(meta.EventAttributeKeys);
                    if (scope is ConditionScope.Link) keys.UnionWith(meta.LinkAttributeKeys);
                    break;
                case RangeCoverage.Part:
                    foreach (var span in FullSpansIn(block, request, cancellationToken))
                    {
                        foreach (var attributes in SpanMatching.AttributesIn(span, scope))
                        {
                            foreach (var attribute in attributes) keys.Add(attribute.Key);
                        }
                    }
                    break;
            }
        }
        return [.. keys.Order(StringComparer.Ordinal)];
    }

    public async ValueTask<IReadOnlyList<AttributeValue>> GetAttributeValuesAsync(CatalogRequest request, ConditionScope scope, string key, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(key);
        SpanMatching.CheckCatalogScope(scope);
        if (limit <= 0 || !request.Tenant.IsSingle) return [];
        using var view = AcquireView();
        var values = new HashSet<AttributeValue>();
        foreach (var head in view.Heads) values.UnionWith(await head.Store.GetAttributeValuesAsync(request, scope, key, limit, cancellationToken).ConfigureAwait(false));
        var end = request.EndTimeUnixNano == 0 ? ulong.MaxValue : request.EndTimeUnixNano;
        foreach (var block in view.Blocks)
        {
            if (Coverage(block.Block.Meta, request) == RangeCoverage.None) continue;
            values.UnionWith(ReadBlock(block, b => b.AttributeValues(scope, key, request.StartTimeUnixNano, end, limit), []));
        }
        return [.. values.Order(AttributeValueOrder.Instance).Take(limit)];
    }

    // ---- aggregates: the archive of written-out heads plus the heads in memory ----

    public async ValueTask<IReadOnlyList<SpanMetricsSeries>> GetSpanMetricsAsync(AggregateQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        if (!query.Tenant.IsSingle) return [];
        var merge = new SeriesMerge<SpanMetricsKey>();
        foreach (var series in await CollectAsync(query, merge, static (head, q, ct) => head.GetSpanMetricsAsync(q, ct), cancellationToken).ConfigureAwait(false))
            merge.Add(series.Key, series.Total, series.Points);
        return [.. merge.Results()
            .OrderBy(r => r.Key.ServiceName, StringComparer.Ordinal).ThenBy(r => r.Key.SpanName, StringComparer.Ordinal)
            .ThenBy(r => r.Key.Kind).ThenBy(r => r.Key.StatusCode)
            .Select(r => new SpanMetricsSeries(r.Key, r.Total, r.Points))];
    }

    public async ValueTask<IReadOnlyList<ServiceGraphEdge>> GetServiceGraphAsync(AggregateQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        if (!query.Tenant.IsSingle) return [];
        var merge = new SeriesMerge<ServiceGraphKey>();
        foreach (var edge in await CollectAsync(query, merge, static (head, q, ct) => head.GetServiceGraphAsync(q, ct), cancellationToken).ConfigureAwait(false))
            merge.Add(edge.Key, edge.Total, edge.Points);
        return [.. merge.Results()
            .OrderBy(r => r.Key.Caller, StringComparer.Ordinal).ThenBy(r => r.Key.Callee, StringComparer.Ordinal).ThenBy(r => r.Key.ConnectionType)
            .Select(r => new ServiceGraphEdge(r.Key, r.Total, r.Points))];
    }

    // The archive and the heads are read under the state lock, so that a cut (which moves a
    // head's aggregates into the archive in the same step) is seen wholly before or after.
    private async Task<List<TResult>> CollectAsync<TKey, TResult>(
        AggregateQuery query, SeriesMerge<TKey> merge,
        Func<ITraceStore, AggregateQuery, CancellationToken, ValueTask<IReadOnlyList<TResult>>> read,
        CancellationToken cancellationToken)
        where TKey : notnull
    {
        var pending = new List<Task<IReadOnlyList<TResult>>>();
        lock (_stateLock)
        {
            switch (merge)
            {
                case SeriesMerge<SpanMetricsKey> metrics: _archive.AddTo(query, metrics); break;
                case SeriesMerge<ServiceGraphKey> edges: _archive.AddTo(query, edges); break;
            }
            // The memory store answers synchronously: the tasks are complete before the lock is left.
            foreach (var head in _state.Heads) pending.Add(read(head.Store, query, cancellationToken).AsTask());
        }
        var results = new List<TResult>();
        foreach (var task in pending) results.AddRange(await task.ConfigureAwait(false));
        return results;
    }

    // ---- helpers ----

    // Every span of the trace, from every block that may hold it and every head, once each, by start.
    private async Task<List<Span>> WholeTraceAsync(StoreView view, TraceId traceId, TraceByIdRequest? hints, CancellationToken cancellationToken)
    {
        var spans = new List<Span>();
        var seen = new HashSet<SpanId>();
        foreach (var block in view.Blocks)
        {
            var meta = block.Block.Meta;
            if (hints is not null && !hints.Overlaps(meta.MinStartUnixNano, meta.MaxEndUnixNano)) continue;
            if (!block.Block.Contains(traceId)) continue;
            AddOnce(ReadBlock(block, b => b.FindTrace(traceId), []));
        }
        foreach (var head in view.Heads)
        {
            if (head.Contains(traceId)) AddOnce(await head.Store.GetTraceAsync(traceId, cancellationToken).ConfigureAwait(false));
        }
        // Stable: spans starting together keep their order.
        return [.. spans.OrderBy(s => s.StartTimeUnixNano)];

        void AddOnce(IReadOnlyList<Span> piece)
        {
            var fromOneSource = new HashSet<SpanId>();
            foreach (var span in piece)
            {
                if (seen.Contains(span.SpanId)) continue;
                fromOneSource.Add(span.SpanId);
                spans.Add(span);
            }
            seen.UnionWith(fromOneSource);
        }
    }

    // Whether the trace has spans in a source other than block #exceptBlock / head exceptHead.
    private static bool IsElsewhere(StoreView view, TraceId traceId, int exceptBlock, Head.Head? exceptHead)
    {
        for (var i = 0; i < view.Blocks.Count; i++)
        {
            if (i != exceptBlock && view.Blocks[i].Block.Contains(traceId)) return true;
        }
        foreach (var head in view.Heads)
        {
            if (!ReferenceEquals(head, exceptHead) && head.Contains(traceId)) return true;
        }
        return false;
    }

    // A block's fetch, with damage found while reading reported and the block's answer cut there.
    private IEnumerable<BlockSpanset> FetchBlock(BlockHandle block, FetchSpansRequest request, CancellationToken cancellationToken)
    {
        using var pieces = block.Block.Fetch(request, cancellationToken).GetEnumerator();
        while (true)
        {
            BlockSpanset piece;
            try
            {
                if (!pieces.MoveNext()) yield break;
                piece = pieces.Current;
            }
            catch (StorageCorruptionException ex)
            {
                ReportDamage(block, ex);
                yield break;
            }
            yield return piece;
        }
    }

    private T ReadBlock<T>(BlockHandle block, Func<Block, T> read, T whenDamaged)
    {
        try
        {
            return read(block.Block);
        }
        catch (StorageCorruptionException ex)
        {
            ReportDamage(block, ex);
            return whenDamaged;
        }
    }

    private void ReportDamage(BlockHandle block, StorageCorruptionException ex)
    {
        _counters.Corruption();
        _logger.LogError(ex, "Block {Block} is damaged ({Reason}); its spans there are left out of answers", block.Block.Meta.BlockId, ex.Message);
    }

    // The identifying fields of the spans of a block starting in the range (no attributes).
    private IEnumerable<SpansetSpan> SpansIn(BlockHandle block, CatalogRequest request, CancellationToken cancellationToken) =>
        FetchBlock(block, new FetchSpansRequest { StartTimeUnixNano = request.StartTimeUnixNano, EndTimeUnixNano = request.EndTimeUnixNano }, cancellationToken)
            .SelectMany(p => p.Spanset.Spans);

    // Whole spans of a block starting in the range: for the attribute-key catalog of a block only
    // partly in the range, which the block's meta cannot answer.
    private IEnumerable<Span> FullSpansIn(BlockHandle block, CatalogRequest request, CancellationToken cancellationToken) =>
        ReadBlock(block, b => b.ReadTraces(cancellationToken).SelectMany(t => t).Where(s => request.InRange(s.StartTimeUnixNano)).ToList(), []);

    private static FetchSpansRequest SearchHints(TraceQuery query)
    {
        var conditions = new List<Condition>();
        if (query.ServiceName is { } service) conditions.Add(new Condition(ConditionScope.Intrinsic, Intrinsics.ServiceName, ConditionOperator.Equal, StaticValue.String(service)));
        if (query.SpanName is { } name) conditions.Add(new Condition(ConditionScope.Intrinsic, Intrinsics.Name, ConditionOperator.Equal, StaticValue.String(name)));
        foreach (var (key, text) in query.Attributes)
        {
            if (OnlyAStringHasText(text)) conditions.Add(new Condition(ConditionScope.Any, key, ConditionOperator.Equal, StaticValue.String(text)));
        }
        return new FetchSpansRequest
        {
            StartTimeUnixNano = query.StartTimeUnixNano,
            // The search's end is inclusive; a fetch's is exclusive.
            EndTimeUnixNano = query.EndTimeUnixNano is 0 or ulong.MaxValue ? 0 : query.EndTimeUnixNano + 1,
            Conditions = conditions,
            AllConditions = true,
        };
    }

    // A search tag matches an attribute by its text (SpanFilter), so "500" also finds the integer
    // 500. A hint must never lose a match: the tag becomes a string condition (which the value
    // blooms prune with) only when no other type's text could equal it: not a number, bool,
    // array, key-value list or base64 bytes, and not empty.
    private static bool OnlyAStringHasText(string text)
    {
        if (text.Length == 0 || text[0] is '[' or '{') return false;
        if (text is "true" or "false") return false;
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _)) return false;
        if (text is "NaN" or "Infinity" or "-Infinity") return false;
        Span<byte> scratch = stackalloc byte[256];
        return !(text.Length % 4 == 0 && (text.Length > 340 || Convert.TryFromBase64String(text, scratch, out _)));
    }

    private enum RangeCoverage { None, Part, Whole }

    private static RangeCoverage Coverage(BlockMeta meta, CatalogRequest request)
    {
        var end = request.EndTimeUnixNano == 0 ? ulong.MaxValue : request.EndTimeUnixNano;
        var latestStart = meta.MaxStartUnixNano == 0 ? meta.MaxEndUnixNano : meta.MaxStartUnixNano;
        if (latestStart < request.StartTimeUnixNano || meta.MinStartUnixNano >= end) return RangeCoverage.None;
        return meta.MinStartUnixNano >= request.StartTimeUnixNano && latestStart < end ? RangeCoverage.Whole : RangeCoverage.Part;
    }

    private static Operation[] SortOperations(HashSet<Operation> operations) =>
        [.. operations.OrderBy(o => o.Name, StringComparer.Ordinal).ThenBy(o => o.Kind)];
}
