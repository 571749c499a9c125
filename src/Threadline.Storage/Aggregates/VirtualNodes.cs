using Threadline.Core.Model;

namespace Threadline.Storage.Aggregates;

/// <summary>
/// Names the node a caller talked to when no span of that node ever arrived: a database
/// (<c>db:&lt;system&gt;/&lt;namespace&gt;</c>), a message destination (<c>messaging:&lt;system&gt;/&lt;destination&gt;</c>)
/// or an external host (<c>external:&lt;host&gt;</c>), read from the caller's semantic-convention
/// attributes, as the service map shows databases, queues and third-party APIs that are not traced.
/// </summary>
public static class VirtualNodes
{
    public const string DatabasePrefix = "db:";
    public const string MessagingPrefix = "messaging:";
    public const string ExternalPrefix = "external:";

    // Node names are span data; a runaway attribute must not make a huge key in every minute.
    private const int MaxPartLength = 128;

    /// <summary>
    /// The virtual node of an unpaired CLIENT or PRODUCER span and how it was reached; false when
    /// its attributes name none (it stays an unpaired span, counted as such).
    /// </summary>
    public static bool TryResolve(Span caller, out string node, out ConnectionType type)
    {
        ArgumentNullException.ThrowIfNull(caller);
        (node, type) = (string.Empty, ConnectionType.Call);
        if (caller.Kind == SpanKind.Producer)
        {
            if (Text(caller, "messaging.system") is not { } broker) return false;
            node = Join(MessagingPrefix, broker, Text(caller, "messaging.destination.name"));
            type = ConnectionType.MessagingSystem;
            return true;
        }
        if (caller.Kind != SpanKind.Client) return false;
        if ((Text(caller, "db.system.name") ?? Text(caller, "db.system")) is { } database)
        {
            node = Join(DatabasePrefix, database, Text(caller, "db.namespace") ?? Text(caller, "db.name"));
            type = ConnectionType.Database;
            return true;
        }
        if ((Text(caller, "server.address") ?? Text(caller, "peer.service") ?? HostOf(Text(caller, "url.full") ?? Text(caller, "http.url"))) is { } host)
        {
            node = ExternalPrefix + Bounded(host.ToLowerInvariant());
            type = ConnectionType.External;
            return true;
        }
        return false;
    }

    private static string Join(string prefix, string system, string? name) =>
        name is null ? prefix + Bounded(system) : prefix + Bounded(system) + "/" + Bounded(name);

    private static string Bounded(string part) => part.Length <= MaxPartLength ? part : part[..MaxPartLength];

    private static string? Text(Span span, string key) =>
        span.TryGetAttribute(key, out var value) && value.Type == AttributeType.String && value.AsString() is { Length: > 0 } text ? text : null;

    private static string? HostOf(string? url) =>
        url is not null && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Host.Length > 0 ? uri.Host : null;
}
