using System.Diagnostics.CodeAnalysis;
using Threadline.Core.Model;
using Threadline.Query.Parameters;
using Threadline.Query.Search;
using Threadline.Storage;

namespace Threadline.Server.Api.Jaeger;

/// <summary>
/// An operations request of Jaeger's v1 or v3 API: a service (required) and, optionally, the
/// span kind to keep (<c>server</c>, <c>client</c>, <c>producer</c>, <c>consumer</c>, <c>internal</c>).
/// </summary>
internal sealed record JaegerOperationsQuery(string Service, SpanKind? Kind)
{
    private const string KindChoices = "server, client, producer, consumer or internal";

    /// <summary>
    /// Reads the service from <paramref name="serviceParameter"/> and the kind from the first of
    /// <paramref name="kindParameters"/> given (v3 takes a deprecated spelling too).
    /// </summary>
    public static bool TryParse(IQueryParameters parameters, string serviceParameter, string kindParameter, [NotNullWhen(true)] out JaegerOperationsQuery? query, out ParameterError error, string? deprecatedKindParameter = null)
    {
        query = null;
        if (!SingleValue.TryGet(parameters, serviceParameter, out var service, out error)) return false;
        if (service is null)
        {
            error = ParameterError.Create(serviceParameter, "is required; give the service whose operations to list");
            return false;
        }
        if (!SingleValue.TryGet(parameters, kindParameter, out var kindText, out error)) return false;
        var kindName = kindParameter;
        if (kindText is null && deprecatedKindParameter is not null)
        {
            if (!SingleValue.TryGet(parameters, deprecatedKindParameter, out kindText, out error)) return false;
            kindName = deprecatedKindParameter;
        }
        SpanKind? kind = null;
        if (kindText is not null)
        {
            if (!SpanEnumNames.TryParseKind(kindText, out var parsed) || parsed == SpanKind.Unspecified)
            {
                error = ParameterError.Create(kindName, $"is '{ParameterError.Echo(kindText)}'; use {KindChoices}, or leave it out for every kind");
                return false;
            }
            kind = parsed;
        }
        query = new JaegerOperationsQuery(service, kind);
        return true;
    }

    /// <summary>The service's operations of the asked kind, sorted by name then kind.</summary>
    public async Task<IReadOnlyList<Operation>> ReadAsync(TraceSearchService search, CancellationToken cancellationToken)
    {
        var operations = await search.GetOperationsAsync(Service, cancellationToken).ConfigureAwait(false);
        return Kind is { } kind ? [.. operations.Where(o => o.Kind == kind)] : operations;
    }

    /// <summary>Jaeger's name of a span kind; empty for an unspecified kind, which Jaeger has no tag for.</summary>
    public static string KindName(SpanKind kind) => kind == SpanKind.Unspecified ? string.Empty : SpanEnumNames.Kind(kind);
}
