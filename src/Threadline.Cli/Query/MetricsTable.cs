using System.Globalization;
using System.Text;
using Spectre.Console;

namespace Threadline.Cli.Query;

/// <summary>
/// A TraceQL metrics query as a table: per series its labels, a sparkline of its samples over
/// the range (oldest left), and the smallest, largest and last value.
/// </summary>
internal static class MetricsTable
{
    private const string Levels = "▁▂▃▄▅▆▇█";
    private const int MaxSparklineWidth = 60;

    public static void Write(IAnsiConsole console, MetricsResults results)
    {
        if (results.Series.Count == 0)
        {
            console.WriteLine("No series: nothing matched in the range.");
            return;
        }
        var table = Terminal.Table(console);
        table.AddColumn("series");
        table.AddColumn("over time");
        table.AddColumn(new TableColumn("min").RightAligned());
        table.AddColumn(new TableColumn("max").RightAligned());
        table.AddColumn(new TableColumn("last").RightAligned());
        foreach (var series in results.Series)
        {
            var values = series.Samples.Select(s => s.Value).Where(double.IsFinite).ToList();
            table.AddRow(
                Markup.Escape(series.Labels),
                $"[green]{Sparkline(series.Samples.Select(s => s.Value).ToList())}[/]",
                values.Count == 0 ? "-" : Number(values.Min()),
                values.Count == 0 ? "-" : Number(values.Max()),
                series.Samples.Count == 0 ? "-" : Number(series.Samples[^1].Value));
        }
        Terminal.Spread(table, console);
        console.Write(table);
    }

    /// <summary>
    /// One character per sample (samples averaged into at most 60 buckets), scaled from the
    /// series' minimum to its maximum; a gap (not a number) is a space.
    /// </summary>
    internal static string Sparkline(IReadOnlyList<double> samples)
    {
        if (samples.Count == 0) return string.Empty;
        var buckets = Math.Min(samples.Count, MaxSparklineWidth);
        var averaged = new double[buckets];
        for (var b = 0; b < buckets; b++)
        {
            var from = b * samples.Count / buckets;
            var to = Math.Max(from + 1, (b + 1) * samples.Count / buckets);
            var finite = samples.Skip(from).Take(to - from).Where(double.IsFinite).ToList();
            averaged[b] = finite.Count == 0 ? double.NaN : finite.Average();
        }
        var known = averaged.Where(double.IsFinite).ToList();
        if (known.Count == 0) return new string(' ', buckets);
        var (min, max) = (known.Min(), known.Max());
        var line = new StringBuilder(buckets);
        foreach (var value in averaged)
        {
            if (!double.IsFinite(value)) line.Append(' ');
            else line.Append(Levels[max == min ? Levels.Length / 2 : (int)Math.Round((value - min) / (max - min) * (Levels.Length - 1))]);
        }
        return line.ToString();
    }

    private static string Number(double value) =>
        double.IsFinite(value) ? value.ToString(Math.Abs(value) >= 1000 ? "N0" : "0.###", CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture);
}
