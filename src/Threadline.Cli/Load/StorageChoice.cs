using System.Globalization;

namespace Threadline.Cli.Load;

/// <summary>How the server of a storage run keeps what it receives.</summary>
internal enum StorageChoice
{
    /// <summary>Decoded, queued, passed through the span limits and discarded: the receiver's ceiling, the baseline.</summary>
    DecodeOnly,

    /// <summary>The memory engine: nothing survives a restart.</summary>
    Memory,

    /// <summary>The durable embedded engine in a data directory.</summary>
    Embedded,

    /// <summary>The ClickHouse engine, on a server the user runs (<c>--clickhouse-url</c>), in a database of its own.</summary>
    ClickHouse,
}

internal static class StorageChoices
{
    public static string Name(this StorageChoice choice) => choice switch
    {
        StorageChoice.DecodeOnly => "decode-only",
        StorageChoice.Memory => "memory",
        StorageChoice.ClickHouse => "clickhouse",
        _ => "embedded",
    };

    /// <summary>Parses <c>embedded</c>, <c>memory,embedded</c>, …; null with <paramref name="error"/> when a name is unknown or repeated.</summary>
    public static IReadOnlyList<StorageChoice>? Parse(string text, out string? error)
    {
        var choices = new List<StorageChoice>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            StorageChoice? choice = part.ToLowerInvariant() switch
            {
                "decode-only" => StorageChoice.DecodeOnly,
                "memory" => StorageChoice.Memory,
                "embedded" => StorageChoice.Embedded,
                "clickhouse" => StorageChoice.ClickHouse,
                _ => null,
            };
            if (choice is not { } known)
            {
                error = $"--storage takes decode-only, memory, embedded or clickhouse, or several separated by commas; got '{part}'.";
                return null;
            }
            if (choices.Contains(known))
            {
                error = $"--storage names {part} twice.";
                return null;
            }
            choices.Add(known);
        }
        if (choices.Count == 0)
        {
            error = "--storage needs at least one of decode-only, memory, embedded, clickhouse.";
            return null;
        }
        error = null;
        return choices;
    }

    /// <summary>The <c>threadline serve</c> flags for a run of <paramref name="spans"/> spans.</summary>
    public static string[] ServeArguments(this StorageChoice choice, long spans, StorageRunSettings settings) => choice switch
    {
        // The memory engine, named, so that the decode-only server never opens a data directory.
        StorageChoice.DecodeOnly => ["--ingest-mode", "decode-only", "--storage", "memory"],
        // Room for every span sent: a storage run queries what it sent, so nothing may be evicted.
        StorageChoice.Memory => ["--storage", "memory", "--memory-max-spans", Math.Clamp(spans + RealisticSlack, 1_000_000, int.MaxValue).ToString(CultureInfo.InvariantCulture)],
        StorageChoice.ClickHouse => ["--storage", "clickhouse", "--clickhouse-url", settings.ClickHouseUrl, "--clickhouse-database", settings.ClickHouseDatabase],
        _ => ["--storage", "embedded", "--data-dir", settings.DataDirectory],
    };

    /// <summary>A request may overshoot the span total by up to one trace.</summary>
    private const long RealisticSlack = 1_000;
}
