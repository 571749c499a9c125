using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Threadline.Pipeline.Sampling.Config;

/// <summary>
/// Reads typed values out of one YAML mapping, collecting a problem (with line and column) for
/// every value of the wrong type, every missing required key and, on <see cref="Finish"/>, every
/// key nobody asked for, so a typo is reported instead of ignored.
/// </summary>
internal sealed partial class YamlFields
{
    private readonly YamlMappingNode _mapping;
    private readonly string _where;
    private readonly List<string> _problems;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public YamlFields(YamlMappingNode mapping, string where, List<string> problems)
    {
        _mapping = mapping;
        _where = where;
        _problems = problems;
    }

    public static string At(YamlNode node) => $"line {node.Start.Line}, column {node.Start.Column}";

    /// <summary>A mapping from <paramref name="node"/>, or null (and a problem) when it is something else.</summary>
    public static YamlFields? Of(YamlNode node, string where, List<string> problems)
    {
        if (node is YamlMappingNode mapping) return new YamlFields(mapping, where, problems);
        problems.Add($"{At(node)}: {where} must be a mapping of keys to values.");
        return null;
    }

    public YamlNode Node => _mapping;

    public bool Has(string key) => Find(key) is not null;

    public YamlNode? Find(string key)
    {
        foreach (var (k, v) in _mapping.Children)
        {
            if (k is YamlScalarNode { Value: { } name } && name == key)
            {
                _read.Add(key);
                return v;
            }
        }
        return null;
    }

    public string? String(string key, bool required = false)
    {
        var node = Find(key);
        if (node is null) return Missing<string>(key, required, "text");
        if (node is YamlScalarNode { Value: { } value }) return value;
        return Wrong<string>(node, key, "text");
    }

    public long? Integer(string key, bool required = false, long min = long.MinValue, long max = long.MaxValue)
    {
        var node = Find(key);
        if (node is null) return Missing<long?>(key, required, "a whole number");
        // YAML 1.1 (the Collector's parser) allows digit separators: 100_000.
        if (node is YamlScalarNode { Value: { } text } && long.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            return InRange(node, key, value, min, max);
        return Wrong<long?>(node, key, "a whole number");
    }

    public double? Number(string key, bool required = false, double min = double.MinValue, double max = double.MaxValue)
    {
        var node = Find(key);
        if (node is null) return Missing<double?>(key, required, "a number");
        if (node is YamlScalarNode { Value: { } text }
            && double.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            if (value >= min && value <= max) return value;
            _problems.Add($"{At(node)}: {_where}: {key} must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}, got {text}.");
            return null;
        }
        return Wrong<double?>(node, key, "a number");
    }

    public bool? Boolean(string key, bool required = false)
    {
        var node = Find(key);
        if (node is null) return Missing<bool?>(key, required, "true or false");
        if (node is YamlScalarNode { Value: { } text } && bool.TryParse(text, out var value)) return value;
        return Wrong<bool?>(node, key, "true or false");
    }

    /// <summary>A Go duration (<c>10s</c>, <c>500ms</c>, <c>1m30s</c>), as the Collector writes them.</summary>
    public TimeSpan? Duration(string key, bool required = false)
    {
        var node = Find(key);
        if (node is null) return Missing<TimeSpan?>(key, required, "a duration");
        if (node is YamlScalarNode { Value: { } text } && TryParseDuration(text, out var value)) return value;
        return Wrong<TimeSpan?>(node, key, "a duration with a unit, such as 500ms, 2s, 1m30s");
    }

    /// <summary>A byte size: a whole number, or one with a unit (<c>KiB MiB GiB</c>, <c>KB MB GB</c>).</summary>
    public long? Bytes(string key, bool required = false)
    {
        var node = Find(key);
        if (node is null) return Missing<long?>(key, required, "a byte size");
        if (node is YamlScalarNode { Value: { } text } && TryParseBytes(text, out var value) && value > 0) return value;
        return Wrong<long?>(node, key, "a positive byte size such as 536870912, 512MiB or 1GiB");
    }

    public IReadOnlyList<string>? Strings(string key, bool required = false)
    {
        var node = Find(key);
        if (node is null) return Missing<IReadOnlyList<string>>(key, required, "a list");
        if (node is YamlSequenceNode sequence && sequence.Children.All(c => c is YamlScalarNode { Value: not null }))
            return [.. sequence.Children.Select(c => ((YamlScalarNode)c).Value!)];
        return Wrong<IReadOnlyList<string>>(node, key, "a list of values, such as [a, b]");
    }

    public IReadOnlyList<YamlNode>? Sequence(string key, bool required = false)
    {
        var node = Find(key);
        if (node is null) return Missing<IReadOnlyList<YamlNode>>(key, required, "a list");
        if (node is YamlSequenceNode sequence) return [.. sequence.Children];
        return Wrong<IReadOnlyList<YamlNode>>(node, key, "a list");
    }

    /// <summary>Reports every key not read, naming the keys there are.</summary>
    public void Finish(IEnumerable<string> known)
    {
        foreach (var (k, _) in _mapping.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? "";
            if (_read.Contains(name)) continue;
            _problems.Add($"{At(k)}: {_where}: '{name}' is not a setting here; expected one of {string.Join(", ", known)}.");
        }
    }

    public void Problem(YamlNode node, string message) => _problems.Add($"{At(node)}: {_where}: {message}");

    private T? Missing<T>(string key, bool required, string what)
    {
        if (required) _problems.Add($"{At(_mapping)}: {_where} needs '{key}' ({what}).");
        return default;
    }

    private T? Wrong<T>(YamlNode node, string key, string what)
    {
        var found = node is YamlScalarNode scalar ? $"'{scalar.Value}'" : node is YamlSequenceNode ? "a list" : "a mapping";
        _problems.Add($"{At(node)}: {_where}: {key} must be {what}, got {found}.");
        return default;
    }

    private long? InRange(YamlNode node, string key, long value, long min, long max)
    {
        if (value >= min && value <= max) return value;
        _problems.Add($"{At(node)}: {_where}: {key} must be between {min} and {max}, got {value}.");
        return null;
    }

    internal static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var match = GoDuration().Match(text.Trim());
        if (!match.Success || text.Trim() == "") return false;
        double total = 0;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unitStart = part.Value.IndexOfAny(['n', 'u', 'µ', 'm', 's', 'h']);
            var number = double.Parse(part.Value[..unitStart], CultureInfo.InvariantCulture);
            total += part.Value[unitStart..] switch
            {
                "ns" => number / 1e9,
                "us" or "µs" => number / 1e6,
                "ms" => number / 1e3,
                "s" => number,
                "m" => number * 60,
                _ => number * 3600,
            };
        }
        if (total > TimeSpan.MaxValue.TotalSeconds / 2) return false;
        duration = TimeSpan.FromSeconds(total);
        return true;
    }

    internal static bool TryParseBytes(string text, out long bytes)
    {
        bytes = 0;
        var match = ByteSize().Match(text.Trim().Replace("_", "", StringComparison.Ordinal));
        if (!match.Success) return false;
        var number = double.Parse(match.Groups["number"].Value, CultureInfo.InvariantCulture);
        var multiplier = match.Groups["unit"].Value.ToUpperInvariant() switch
        {
            "" or "B" => 1d,
            "KB" => 1e3,
            "MB" => 1e6,
            "GB" => 1e9,
            "KIB" => 1024d,
            "MIB" => 1024d * 1024,
            _ => 1024d * 1024 * 1024,
        };
        var value = number * multiplier;
        if (value > long.MaxValue / 2) return false;
        bytes = (long)value;
        return true;
    }

    [GeneratedRegex(@"^(?<part>[0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$", RegexOptions.CultureInvariant)]
    private static partial Regex GoDuration();

    [GeneratedRegex(@"^(?<number>[0-9]+(\.[0-9]+)?)\s*(?<unit>|B|KB|MB|GB|KiB|MiB|GiB)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ByteSize();
}
