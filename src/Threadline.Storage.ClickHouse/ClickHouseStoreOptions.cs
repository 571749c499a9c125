using Threadline.Storage.ClickHouse.Sql;
using Threadline.Storage.Embedded;

namespace Threadline.Storage.ClickHouse;

/// <summary>
/// Settings of the ClickHouse engine, bound from <c>Threadline:Storage:ClickHouse</c>. The
/// defaults here are the only ones.
/// </summary>
public sealed class ClickHouseStoreOptions
{
    /// <summary>The HTTP interface of the ClickHouse server this node talks to (<c>--clickhouse-url</c>).</summary>
    public string Url { get; set; } = "http://127.0.0.1:8123";

    /// <summary>
    /// The cluster (a <c>remote_servers</c> entry of the server's configuration) to spread spans
    /// over through Distributed tables (<c>--clickhouse-cluster</c>); empty for one server.
    /// </summary>
    public string Cluster { get; set; } = "";

    /// <summary>The database the engine creates its tables in.</summary>
    public string Database { get; set; } = "threadline";

    /// <summary>How long spans are kept (<c>30m</c>, <c>12h</c>, <c>7d</c>): whole days older than this are dropped.</summary>
    public string Retention { get; set; } = "7d";

    /// <summary>Seconds one request to ClickHouse may take before the store counts as unavailable.</summary>
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>Seconds a client, server, producer or consumer span waits on this node for its service-graph partner.</summary>
    public int PairingWaitSeconds { get; set; } = 10;

    /// <summary>Most spans waiting on this node for their service-graph partner.</summary>
    public int MaxPendingPairs { get; set; } = 100_000;

    /// <summary>Longest string value listed by the attribute-value catalogs (longer ones are statements, stack traces).</summary>
    public int MaxCatalogValueLength { get; set; } = 256;

    /// <summary><see cref="Retention"/> as a time span; valid only when <see cref="Problems"/> is empty.</summary>
    public TimeSpan RetentionPeriod => EmbeddedStoreOptions.TryParseDuration(Retention, out var period) ? period : TimeSpan.Zero;

    /// <summary>Every invalid setting, one message each naming it; empty when valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.PathAndQuery != "/")
            problems.Add($"{nameof(Url)} must be the server's HTTP interface such as http://127.0.0.1:8123 (no path or query), got '{Url}'.");
        if (!string.IsNullOrEmpty(Cluster) && !SqlLiteral.IsPlainIdentifier(Cluster))
            problems.Add($"{nameof(Cluster)} must be a cluster name of letters, digits and underscores, got '{Cluster}'.");
        if (!SqlLiteral.IsPlainIdentifier(Database))
            problems.Add($"{nameof(Database)} must be a name of letters, digits and underscores, got '{Database}'.");
        if (!EmbeddedStoreOptions.TryParseDuration(Retention, out var retention) || retention <= TimeSpan.Zero)
            problems.Add($"{nameof(Retention)} must be a positive duration such as 30m, 12h or 7d, got '{Retention}'.");
        foreach (var (name, value) in new (string, int)[]
        {
            (nameof(TimeoutSeconds), TimeoutSeconds), (nameof(PairingWaitSeconds), PairingWaitSeconds),
            (nameof(MaxPendingPairs), MaxPendingPairs), (nameof(MaxCatalogValueLength), MaxCatalogValueLength),
        })
        {
            if (value < 1) problems.Add($"{name} must be at least 1, got {value}.");
        }
        return problems;
    }

    /// <exception cref="ArgumentException">A setting is invalid; the message lists every problem.</exception>
    public void Validate()
    {
        var problems = Problems();
        if (problems.Count > 0) throw new ArgumentException("ClickHouse store options are invalid: " + string.Join(" ", problems));
    }
}
