using System.Globalization;
using Spectre.Console;

namespace Threadline.Cli.Query;

/// <summary>A TraceQL search as a table: one row per trace, newest first as the server sent them.</summary>
internal static class SearchTable
{
    public static void Write(IAnsiConsole console, SearchResults results)
    {
        if (results.Traces.Count == 0)
        {
            console.WriteLine($"No traces matched (inspected {results.InspectedTraces:N0} traces, {results.InspectedSpans:N0} spans).");
            return;
        }

        var table = Terminal.Table(console);
        table.AddColumn("trace id");
        table.AddColumn("root");
        table.AddColumn("start (UTC)");
        table.AddColumn(new TableColumn("duration").RightAligned());
        table.AddColumn(new TableColumn("spans").RightAligned());
        table.AddColumn(new TableColumn("errors").RightAligned());
        table.AddColumn(new TableColumn("matched").RightAligned());
        foreach (var hit in results.Traces)
        {
            var root = string.IsNullOrEmpty(hit.RootServiceName) && string.IsNullOrEmpty(hit.RootSpanName)
                ? "(root not yet received)"
                : $"{hit.RootServiceName}: {hit.RootSpanName}";
            var errors = hit.ErrorCount is { } count
                ? count > 0 ? $"[red]{count}[/]" : "0"
                : "-";
            table.AddRow(
                Markup.Escape(hit.TraceId),
                Markup.Escape(root),
                Terminal.Time(hit.StartUnixNano),
                Terminal.Duration(hit.DurationMs * 1_000_000.0),
                hit.SpanCount?.ToString(CultureInfo.InvariantCulture) ?? "-",
                errors,
                hit.Matched.ToString(CultureInfo.InvariantCulture));
        }
        Terminal.Spread(table, console);
        console.Write(table);
        console.WriteLine($"{results.Traces.Count} trace(s); the server inspected {results.InspectedTraces:N0} traces, {results.InspectedSpans:N0} spans.");
    }
}
