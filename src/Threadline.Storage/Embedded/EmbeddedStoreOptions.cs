using System.Globalization;

namespace Threadline.Storage.Embedded;

/// <summary>
/// Settings of the embedded (durable, on-disk) engine, bound from <c>Threadline:Storage:Embedded</c>.
/// The defaults here are the only ones.
/// </summary>
public sealed class EmbeddedStoreOptions
{
    /// <summary>Where the log, blocks and aggregates live; relative paths are taken from the working directory.</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>
    /// How long spans are kept, as a number and a unit (<c>30m</c>, <c>12h</c>, <c>7d</c>): whole blocks
    /// whose newest span ended longer ago are deleted, oldest first.
    /// </summary>
    public string Retention { get; set; } = "7d";

    /// <summary>Most bytes of blocks kept on disk; past it the oldest blocks are deleted. 0: no cap.</summary>
    public long MaxDiskBytes { get; set; }

    /// <summary>Spans held in the in-memory head before it is written out as a block.</summary>
    public int HeadMaxSpans { get; set; } = 200_000;

    /// <summary>Seconds a head takes spans before it is written out as a block, however few it has.</summary>
    public int HeadMaxAgeSeconds { get; set; } = 300;

    /// <summary>Bytes of a log segment before the next append starts a new one.</summary>
    public long WalSegmentBytes { get; set; } = 64L << 20;

    /// <summary>
    /// Microseconds the log writer waits for more appends before an fsync when only one is
    /// waiting; 0 (the default) syncs at once, and appends arriving during an fsync share the next.
    /// </summary>
    public int GroupCommitWaitMicroseconds { get; set; }

    /// <summary>Blocks of one compaction level that are merged into one block of the next level.</summary>
    public int CompactionFanIn { get; set; } = 4;

    /// <summary>Blocks are not merged into blocks of more spans than this.</summary>
    public long CompactionMaxBlockSpans { get; set; } = 5_000_000;

    /// <summary>Most (minute, key) entries of span metrics and service-graph edges kept in memory; past it the oldest minutes go.</summary>
    public int MaxAggregateEntries { get; set; } = 200_000;

    /// <summary>Most span-metrics keys (and, separately, edges) in one minute of one head.</summary>
    public int MaxAggregateKeysPerMinute { get; set; } = 10_000;

    /// <summary>Seconds a client, server, producer or consumer span waits for its service-graph partner.</summary>
    public int PairingWaitSeconds { get; set; } = 10;

    /// <summary><see cref="Retention"/> as a time span; valid only when <see cref="Problems"/> is empty.</summary>
    public TimeSpan RetentionPeriod => TryParseDuration(Retention, out var period) ? period : TimeSpan.Zero;

    /// <summary>Every invalid setting, one message each naming it; empty when valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(DataDirectory)) problems.Add($"{nameof(DataDirectory)} must be a directory path, got '{DataDirectory}'.");
        if (!TryParseDuration(Retention, out var retention) || retention <= TimeSpan.Zero)
            problems.Add($"{nameof(Retention)} must be a positive duration such as 30m, 12h or 7d, got '{Retention}'.");
        if (MaxDiskBytes < 0) problems.Add($"{nameof(MaxDiskBytes)} must be 0 (no cap) or more, got {MaxDiskBytes}.");
        if (WalSegmentBytes < 1 << 20) problems.Add($"{nameof(WalSegmentBytes)} must be at least 1048576 (1 MiB), got {WalSegmentBytes}.");
        if (GroupCommitWaitMicroseconds is < 0 or > 100_000)
            problems.Add($"{nameof(GroupCommitWaitMicroseconds)} must be 0-100000, got {GroupCommitWaitMicroseconds}.");
        if (CompactionFanIn < 2) problems.Add($"{nameof(CompactionFanIn)} must be at least 2, got {CompactionFanIn}.");
        if (CompactionMaxBlockSpans < 1) problems.Add($"{nameof(CompactionMaxBlockSpans)} must be at least 1, got {CompactionMaxBlockSpans}.");
        foreach (var (name, value) in new (string, int)[]
        {
            (nameof(HeadMaxSpans), HeadMaxSpans), (nameof(HeadMaxAgeSeconds), HeadMaxAgeSeconds),
            (nameof(MaxAggregateEntries), MaxAggregateEntries), (nameof(MaxAggregateKeysPerMinute), MaxAggregateKeysPerMinute),
            (nameof(PairingWaitSeconds), PairingWaitSeconds),
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
        if (problems.Count > 0) throw new ArgumentException("Embedded store options are invalid: " + string.Join(" ", problems));
    }

    /// <summary>Reads <c>&lt;number&gt;&lt;unit&gt;</c> with unit s, m, h or d (or a .NET time span such as <c>7.00:00:00</c>).</summary>
    public static bool TryParseDuration(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        var unit = text[^1] switch
        {
            's' => TimeSpan.FromSeconds(1),
            'm' => TimeSpan.FromMinutes(1),
            'h' => TimeSpan.FromHours(1),
            'd' => TimeSpan.FromDays(1),
            _ => TimeSpan.Zero,
        };
        if (unit == TimeSpan.Zero) return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration);
        if (!double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var count)) return false;
        var ticks = count * unit.Ticks;
        if (!(ticks < TimeSpan.MaxValue.Ticks)) return false;
        duration = TimeSpan.FromTicks((long)ticks);
        return true;
    }
}
