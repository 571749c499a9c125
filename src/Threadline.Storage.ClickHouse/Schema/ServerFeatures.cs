using System.Globalization;

namespace Threadline.Storage.ClickHouse.Schema;

/// <summary>
/// What the connected server can do, read from <c>SELECT version()</c>, so that one schema
/// works on Debian's 18.16 and on current releases and takes the newer features where they
/// exist. Each threshold is the first release in which the feature is on without an
/// experimental setting (LowCardinality: the engine sends the 18.x setting itself).
/// </summary>
internal sealed record ServerFeatures(Version Version)
{
    /// <summary><c>LowCardinality(String)</c> for service and span names (18.12 on, behind a setting before 19.1).</summary>
    public bool LowCardinality => Version >= new Version(18, 12);

    /// <summary>Column codecs (<c>CODEC(Delta, ZSTD)</c>) for timestamps and span bodies.</summary>
    public bool Codecs => Version >= new Version(19, 10);

    /// <summary>A bloom-filter skip index on trace ids, for trace-by-id without the lookup table's help.</summary>
    public bool BloomFilterIndex => Version >= new Version(20, 1);

    /// <summary>Parses what <c>SELECT version()</c> answers (<c>18.16.1</c>, <c>24.8.4.13</c>).</summary>
    /// <exception cref="FormatException">The text is not a dotted version.</exception>
    public static ServerFeatures Parse(string version)
    {
        var parts = version.Trim().Split('.');
        if (parts.Length < 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
        {
            throw new FormatException($"ClickHouse answered version() with '{version}', not a dotted version such as 18.16.1.");
        }
        return new ServerFeatures(new Version(major, minor));
    }
}
