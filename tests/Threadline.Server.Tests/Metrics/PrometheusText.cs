using System.Globalization;
using System.Text;

namespace Threadline.Server.Tests.Metrics;

/// <summary>
/// A strict reader of the Prometheus text format 0.0.4, written from the format's description,
/// so tests check what a scraper would read: every sample line must parse, every sample must
/// belong to a family declared by <c># TYPE</c>.
/// </summary>
internal sealed class PrometheusText
{
    private PrometheusText(Dictionary<string, string> types, Dictionary<string, string> help, List<Sample> samples)
    {
        Types = types;
        Help = help;
        Samples = samples;
    }

    public IReadOnlyDictionary<string, string> Types { get; }
    public IReadOnlyDictionary<string, string> Help { get; }
    public IReadOnlyList<Sample> Samples { get; }

    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    /// <summary>The value of the one sample named <paramref name="name"/> with exactly these labels (others ignored when none given).</summary>
    public double Value(string name, params (string Key, string Value)[] labels)
    {
        var matches = Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).ToList();
        Assert.True(matches.Count == 1, $"Expected one sample {name} with {string.Join(",", labels)}; found {matches.Count}.");
        return matches[0].Value;
    }

    /// <summary>The sum over every sample named <paramref name="name"/> carrying these labels; 0 when there is none.</summary>
    public double Sum(string name, params (string Key, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Sum(s => s.Value);

    public static PrometheusText Parse(string text)
    {
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var help = new Dictionary<string, string>(StringComparer.Ordinal);
        var samples = new List<Sample>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                var rest = line["# HELP ".Length..];
                var space = rest.IndexOf(' ', StringComparison.Ordinal);
                help.Add(rest[..space], rest[(space + 1)..]);
            }
            else if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                Assert.Equal(4, parts.Length);
                Assert.Contains(parts[3], new[] { "counter", "gauge", "histogram", "summary", "untyped" });
                Assert.True(types.TryAdd(parts[2], parts[3]), $"{parts[2]} declared twice");
            }
            else
            {
                Assert.False(line.StartsWith('#'), $"unexpected comment line: {line}");
                var sample = ParseSample(line);
                Assert.True(types.ContainsKey(Family(sample.Name, types)), $"sample {sample.Name} has no # TYPE");
                samples.Add(sample);
            }
        }
        return new PrometheusText(types, help, samples);
    }

    private static string Family(string name, Dictionary<string, string> types)
    {
        if (types.ContainsKey(name)) return name;
        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && types.TryGetValue(name[..^suffix.Length], out var type) && type == "histogram")
                return name[..^suffix.Length];
        }
        return name;
    }

    private static Sample ParseSample(string line)
    {
        var i = 0;
        while (i < line.Length && (char.IsAsciiLetterOrDigit(line[i]) || line[i] is '_' or ':')) i++;
        var name = line[..i];
        Assert.Matches("^[a-zA-Z_:][a-zA-Z0-9_:]*$", name);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var start = i;
                while (line[i] != '=') i++;
                var key = line[start..i];
                Assert.Matches("^[a-zA-Z_][a-zA-Z0-9_]*$", key);
                Assert.Equal('"', line[i + 1]);
                i += 2;
                var value = new StringBuilder();
                while (line[i] != '"')
                {
                    if (line[i] == '\\')
                    {
                        i++;
                        value.Append(line[i] switch
                        {
                            'n' => '\n',
                            '\\' => '\\',
                            '"' => '"',
                            _ => throw new FormatException($"bad escape \\{line[i]} in {line}"),
                        });
                    }
                    else
                    {
                        value.Append(line[i]);
                    }
                    i++;
                }
                i++;
                labels.Add(key, value.ToString());
                if (line[i] == ',') i++;
            }
            i++;
        }
        Assert.Equal(' ', line[i]);
        var number = line[(i + 1)..];
        var parsed = number switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            _ => double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
        return new Sample(name, labels, parsed);
    }
}
