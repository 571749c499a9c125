using System.Globalization;
using Threadline.Core.Model;
using Threadline.Protocol.Tempo;
using Threadline.Query.Search;
using Threadline.Query.TraceQL;
using Threadline.Storage;
using Threadline.Storage.Fetch;

namespace Threadline.Server.Tempo;

/// <summary>
/// What Tempo's query API answers, whichever transport asked (HTTP on port 3200, the gRPC
/// StreamingQuerier, the native <c>/api/v1/traceql</c>): searches and metrics through the TraceQL
/// engine, tag names and values from the store's catalogs.
/// </summary>
/// <remarks>
/// Throws <see cref="TempoRequestException"/> for a request it cannot take, and lets the engine's
/// <see cref="TraceQLSyntaxException"/> and <see cref="TraceQLQueryException"/> through; the edges
/// turn all three into a 400 (INVALID_ARGUMENT) with the message.
/// </remarks>
internal sealed class TempoQueryService
{
    /// <summary>The scopes Tempo's tag APIs take, besides the empty scope (all of them) and <c>intrinsic</c>.</summary>
    private static readonly (string Name, ConditionScope? Scope)[] AttributeScopes =
    [
        ("resource", ConditionScope.Resource),
        ("span", ConditionScope.Span),
        ("event", ConditionScope.Event),
        ("link", ConditionScope.Link),
        // The store keeps no catalog of instrumentation scope attributes: the scope is valid and empty.
        ("instrumentation", null),
    ];

    private const string IntrinsicScope = "intrinsic";

    /// <summary>The intrinsics Tempo 2.7 lists for autocompletion, in its order.</summary>
    internal static readonly IReadOnlyList<string> Intrinsics =
    [
        "duration", "kind", "name", "status", "statusMessage", "traceDuration", "rootServiceName", "rootName",
        "span:status", "span:statusMessage", "span:duration", "span:name", "span:kind",
        "trace:rootName", "trace:rootService", "trace:duration",
        "event:name", "event:timeSinceStart", "instrumentation:name", "instrumentation:version",
    ];

    private static readonly string[] StatusKeywords = ["error", "ok", "unset"];
    private static readonly string[] KindKeywords = ["unspecified", "internal", "server", "client", "producer", "consumer"];

    private readonly ITraceQLEngine _engine;
    private readonly ITraceStore _store;

    public TempoQueryService(ITraceQLEngine engine, ITraceStore store)
    {
        _engine = engine;
        _store = store;
    }

    /// <summary>Tempo's search: the TraceQL query, or the one its tags and durations ask.</summary>
    public async ValueTask<TempoSearchResponse> SearchAsync(TempoSearchRequest request, CancellationToken cancellationToken)
    {
        if (request.Query.Length > 0 && request.Tags.Count > 0)
            throw new TempoRequestException("invalid request: can't specify tags and q in the same query");
        if (request.MaxDurationMs != 0 && request.MinDurationMs > request.MaxDurationMs)
            throw new TempoRequestException("invalid maxDuration: must be greater than minDuration");
        if ((request.StartSeconds != 0 || request.EndSeconds != 0) && request.EndSeconds <= request.StartSeconds)
            throw new TempoRequestException($"http parameter start must be before end. received start={request.StartSeconds} end={request.EndSeconds}");

        // As in Tempo, a TraceQL query says everything itself: minDuration and maxDuration apply to tag searches only.
        var query = request.Query.Length > 0 ? request.Query : TagSearchQuery.Build(request);
        return await SearchAsync(new TraceQLSearchRequest
        {
            Query = query,
            StartUnixNano = request.StartSeconds * 1_000_000_000UL,
            EndUnixNano = request.EndSeconds * 1_000_000_000UL,
            Limit = request.Limit == 0 ? TraceQLSearchRequest.DefaultLimit : (int)Math.Min(request.Limit, int.MaxValue),
            SpansPerSpanset = request.SpansPerSpanSet == 0 ? TraceQLSearchRequest.DefaultSpansPerSpanset : (int)Math.Min(request.SpansPerSpanSet, int.MaxValue),
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A TraceQL search answered in Tempo's shape (the native API uses this directly).</summary>
    public async ValueTask<TempoSearchResponse> SearchAsync(TraceQLSearchRequest request, CancellationToken cancellationToken) =>
        TempoResults.From(await _engine.SearchAsync(request, cancellationToken).ConfigureAwait(false));

    public async ValueTask<TempoQueryRangeResponse> QueryRangeAsync(TempoQueryRangeRequest request, CancellationToken cancellationToken) =>
        TempoResults.RangeFrom(await _engine.QueryRangeAsync(MetricsRequest(request), cancellationToken).ConfigureAwait(false));

    public async ValueTask<TempoQueryInstantResponse> QueryInstantAsync(TempoQueryRangeRequest request, CancellationToken cancellationToken) =>
        TempoResults.InstantFrom(await _engine.QueryInstantAsync(MetricsRequest(request), cancellationToken).ConfigureAwait(false));

    private static TraceQLMetricsRequest MetricsRequest(TempoQueryRangeRequest request)
    {
        if (request.Query.Length == 0) throw new TempoRequestException("invalid request: give a TraceQL metrics query in q (or query)");
        if (request.EndUnixNano != 0 && request.StartUnixNano >= request.EndUnixNano)
            throw new TempoRequestException($"invalid request: start ({request.StartUnixNano}) must be before end ({request.EndUnixNano})");
        return new TraceQLMetricsRequest
        {
            Query = request.Query,
            StartUnixNano = request.StartUnixNano,
            EndUnixNano = request.EndUnixNano,
            StepNanos = request.StepNanos,
            MaxExemplars = (int)Math.Min(request.Exemplars, int.MaxValue),
        };
    }

    /// <summary>Tag names, all scopes flattened (intrinsics only when asked for by scope), sorted.</summary>
    public async ValueTask<TempoSearchTagsResponse> SearchTagsAsync(TempoSearchTagsRequest request, CancellationToken cancellationToken)
    {
        var scopes = await ScopesAsync(request, includeIntrinsicsWhenAll: false, cancellationToken).ConfigureAwait(false);
        var names = scopes.SelectMany(scope => scope.Tags).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return new TempoSearchTagsResponse(names);
    }

    /// <summary>Tag names per scope; the empty scope lists every scope with names, then the intrinsics.</summary>
    public async ValueTask<TempoSearchTagsV2Response> SearchTagsV2Async(TempoSearchTagsRequest request, CancellationToken cancellationToken) =>
        new(await ScopesAsync(request, includeIntrinsicsWhenAll: true, cancellationToken).ConfigureAwait(false));

    private async ValueTask<IReadOnlyList<TempoTagScope>> ScopesAsync(TempoSearchTagsRequest request, bool includeIntrinsicsWhenAll, CancellationToken cancellationToken)
    {
        var range = Range(request.StartSeconds, request.EndSeconds);
        if (request.Scope == IntrinsicScope) return [new TempoTagScope(IntrinsicScope, Intrinsics)];

        var scopes = new List<TempoTagScope>();
        var known = false;
        foreach (var (name, scope) in AttributeScopes)
        {
            if (request.Scope.Length > 0 && request.Scope != name) continue;
            known = true;
            var keys = scope is { } storeScope ? await _store.GetAttributeKeysAsync(range, storeScope, cancellationToken).ConfigureAwait(false) : [];
            // Asked for one scope, it is listed even when empty; asked for all, only scopes with names are.
            if (keys.Count > 0 || request.Scope.Length > 0) scopes.Add(new TempoTagScope(name, keys));
        }
        if (!known)
            throw new TempoRequestException($"invalid scope: {request.Scope} (use resource, span, event, link, instrumentation or intrinsic, or none for all)");
        if (request.Scope.Length == 0 && includeIntrinsicsWhenAll) scopes.Add(new TempoTagScope(IntrinsicScope, Intrinsics));
        return scopes;
    }

    /// <summary>Values of an unscoped attribute (<c>service.name</c>) on spans or resources, as text, sorted.</summary>
    public async ValueTask<TempoSearchTagValuesResponse> SearchTagValuesAsync(TempoSearchTagValuesRequest request, CancellationToken cancellationToken)
    {
        if (request.TagName.Length == 0) throw new TempoRequestException("please provide a non-empty tagName");
        var values = await _store.GetAttributeValuesAsync(Range(request.StartSeconds, request.EndSeconds), ConditionScope.Any, request.TagName, Limit(request), cancellationToken).ConfigureAwait(false);
        return new TempoSearchTagValuesResponse(values.Select(value => value.ToString()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray());
    }

    /// <summary>
    /// Typed values of a TraceQL attribute (<c>resource.service.name</c>, <c>span.http.method</c>,
    /// <c>.foo</c>) or intrinsic (<c>name</c>, <c>status</c>, <c>kind</c>), as Grafana's autocompletion asks.
    /// </summary>
    public async ValueTask<TempoSearchTagValuesV2Response> SearchTagValuesV2Async(TempoSearchTagValuesRequest request, CancellationToken cancellationToken)
    {
        var tag = request.TagName;
        if (tag.Length == 0) throw new TempoRequestException("please provide a non-empty tagName");
        var range = Range(request.StartSeconds, request.EndSeconds);
        var limit = Limit(request);
        switch (tag)
        {
            case "status" or "span:status":
                return Keywords(StatusKeywords);
            case "kind" or "span:kind":
                return Keywords(KindKeywords);
            case "name" or "span:name" or "rootName" or "trace:rootName":
                return Strings(await SpanNamesAsync(range, limit, cancellationToken).ConfigureAwait(false));
            case "rootServiceName" or "trace:rootService":
                return Strings(await _store.GetServicesAsync(range, cancellationToken).ConfigureAwait(false));
        }
        if (Intrinsics.Contains(tag, StringComparer.Ordinal))
        {
            // Durations, status messages and event times have too many values to list, as in Tempo.
            return new TempoSearchTagValuesV2Response([]);
        }

        var (scope, key) = ParseAttribute(tag);
        var values = await _store.GetAttributeValuesAsync(range, scope, key, limit, cancellationToken).ConfigureAwait(false);
        return new TempoSearchTagValuesV2Response(values.Select(Typed).OfType<TempoTagValue>().ToArray());
    }

    private async ValueTask<IReadOnlyList<string>> SpanNamesAsync(CatalogRequest range, int limit, CancellationToken cancellationToken)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var service in await _store.GetServicesAsync(range, cancellationToken).ConfigureAwait(false))
        {
            foreach (var operation in await _store.GetOperationsAsync(range, service, cancellationToken).ConfigureAwait(false))
            {
                names.Add(operation.Name);
                if (names.Count >= limit) return names.ToArray();
            }
        }
        return names.ToArray();
    }

    // "resource.service.name" → (Resource, "service.name"); ".foo" → (Any, "foo"); an unknown or
    // missing scope is refused, as Tempo refuses a tag that is no TraceQL attribute.
    private static (ConditionScope Scope, string Key) ParseAttribute(string tag)
    {
        if (tag.StartsWith('.') && tag.Length > 1) return (ConditionScope.Any, tag[1..]);
        var dot = tag.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0 && dot < tag.Length - 1)
        {
            var scopeName = tag[..dot];
            foreach (var (name, scope) in AttributeScopes)
            {
                if (name == scopeName && scope is { } storeScope) return (storeScope, Unquote(tag[(dot + 1)..]));
            }
        }
        throw new TempoRequestException($"invalid tag name '{tag}': give a TraceQL attribute such as resource.service.name, span.http.method or .http.method, or an intrinsic such as name, status or kind");
    }

    // span."a b" names the attribute a b.
    private static string Unquote(string key) =>
        key.Length >= 2 && key[0] == '"' && key[^1] == '"' ? key[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal) : key;

    private static TempoTagValue? Typed(AttributeValue value) => value.Type switch
    {
        AttributeType.String => new TempoTagValue(TempoTagValue.TypeString, value.AsString()),
        AttributeType.Int => new TempoTagValue(TempoTagValue.TypeInt, value.AsInt().ToString(CultureInfo.InvariantCulture)),
        AttributeType.Double => new TempoTagValue(TempoTagValue.TypeFloat, value.AsDouble().ToString("R", CultureInfo.InvariantCulture)),
        AttributeType.Bool => new TempoTagValue(TempoTagValue.TypeBool, value.AsBool() ? "true" : "false"),
        // Arrays and maps are matched element by element in TraceQL and have no one value to offer.
        _ => null,
    };

    private static TempoSearchTagValuesV2Response Keywords(string[] keywords) =>
        new(keywords.Select(keyword => new TempoTagValue(TempoTagValue.TypeKeyword, keyword)).ToArray());

    private static TempoSearchTagValuesV2Response Strings(IEnumerable<string> values) =>
        new(values.Select(value => new TempoTagValue(TempoTagValue.TypeString, value)).ToArray());

    private static int Limit(TempoSearchTagValuesRequest request) =>
        request.MaxTagValues == 0 ? TraceSearchService.MaxTagValuesLimit : (int)Math.Min(request.MaxTagValues, TraceSearchService.MaxTagValuesLimit);

    private static CatalogRequest Range(uint startSeconds, uint endSeconds)
    {
        if (endSeconds != 0 && startSeconds >= endSeconds)
            throw new TempoRequestException($"http parameter start must be before end. received start={startSeconds} end={endSeconds}");
        return new CatalogRequest { StartTimeUnixNano = startSeconds * 1_000_000_000UL, EndTimeUnixNano = endSeconds * 1_000_000_000UL };
    }
}
