using Threadline.Core.Model;

namespace Threadline.Query.Parameters;

/// <summary>The lower-case names the API uses for span kinds and status codes, in both directions.</summary>
public static class SpanEnumNames
{
    public const string KindChoices = "server, client, producer, consumer, internal or unspecified";
    public const string StatusChoices = "ok, error or unset";

    /// <summary>The API name of a kind.</summary>
    public static string Kind(SpanKind kind) => kind switch
    {
        SpanKind.Internal => "internal",
        SpanKind.Server => "server",
        SpanKind.Client => "client",
        SpanKind.Producer => "producer",
        SpanKind.Consumer => "consumer",
        _ => "unspecified",
    };

    /// <summary>A kind from its API name, in any case.</summary>
    public static bool TryParseKind(string text, out SpanKind kind)
    {
        foreach (var candidate in Enum.GetValues<SpanKind>())
        {
            if (string.Equals(Kind(candidate), text, StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }
        kind = SpanKind.Unspecified;
        return false;
    }

    /// <summary>A status code from its API name (ok, error, unset), in any case.</summary>
    public static bool TryParseStatus(string text, out StatusCode status)
    {
        switch (text.ToLowerInvariant())
        {
            case "ok": status = StatusCode.Ok; return true;
            case "error": status = StatusCode.Error; return true;
            case "unset": status = StatusCode.Unset; return true;
            default: status = StatusCode.Unset; return false;
        }
    }
}
