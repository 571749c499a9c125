using System.Globalization;
using Spectre.Console;
using Threadline.Core.Model;

namespace Threadline.Cli.Query;

/// <summary>
/// A trace as a waterfall in the terminal: one line per span in tree order (children under
/// their parent, by start time), a bar placing it on the trace's timeline, its duration, its
/// name indented by depth, its service in that service's colour, and a red ✗ with the status
/// message on a failed span. With the server's analyses, a ◆ marks each span on the critical path
/// (the spans that set the end-to-end latency) and the health findings follow the tree.
/// </summary>
internal static class TraceWaterfall
{
    /// <summary>Characters of the timeline bar.</summary>
    public const int BarWidth = 40;

    /// <summary>Lines beyond this many spans are left out (and counted), so a huge trace stays readable.</summary>
    public const int MaxSpansShown = 1_000;

    /// <summary>Marks a span on the critical path.</summary>
    public const string CriticalMarker = "◆";

    private const int MaxNameLength = 60;

    private static readonly Color[] ServiceColors =
    [
        Color.DodgerBlue1, Color.Green3, Color.Gold1, Color.MediumPurple1, Color.DarkOrange, Color.Aqua,
        Color.HotPink, Color.Chartreuse2, Color.SteelBlue1, Color.Tan,
    ];

    public static void Write(IAnsiConsole console, IReadOnlyList<Span> spans, TraceAnalyses? analyses = null)
    {
        ArgumentNullException.ThrowIfNull(spans);
        if (spans.Count == 0) return;

        var start = spans.Min(s => s.StartTimeUnixNano);
        var end = spans.Max(s => Math.Max(s.EndTimeUnixNano, s.StartTimeUnixNano));
        var total = Math.Max(1UL, end - start);
        var ordered = InTreeOrder(spans);
        var root = ordered[0].Span;
        var colors = new Dictionary<string, Color>(StringComparer.Ordinal);
        foreach (var service in spans.Select(s => s.ServiceName).Distinct(StringComparer.Ordinal))
            colors[service] = ServiceColors[colors.Count % ServiceColors.Length];
        var errors = spans.Count(s => s.Status.Code == StatusCode.Error);

        console.MarkupLine($"[bold]Trace {spans[0].TraceId}[/]  {Markup.Escape(root.ServiceName)}: {Markup.Escape(root.Name)}");
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"{Terminal.Time(start)}  ·  {Terminal.Duration(total)}  ·  {spans.Count} span(s)  ·  {(errors > 0 ? $"[red]{errors} error(s)[/]" : "0 errors")}  ·  {colors.Count} service(s)"));
        console.WriteLine();
        console.WriteLine($"{"0",-(BarWidth / 2)}{Terminal.Duration(total),BarWidth / 2}");

        foreach (var (span, prefix) in ordered.Take(MaxSpansShown))
        {
            var offset = (int)Math.Min(BarWidth - 1, (span.StartTimeUnixNano - start) * (double)BarWidth / total);
            var length = (int)Math.Clamp(Math.Round(span.DurationNanos * (double)BarWidth / total), 1, BarWidth - offset);
            var color = colors[span.ServiceName].ToMarkup();
            var bar = new string(' ', offset) + $"[{color}]{new string('█', length)}[/]" + new string(' ', BarWidth - offset - length);
            var name = span.Name.Length > MaxNameLength ? span.Name[..(MaxNameLength - 1)] + "…" : span.Name;
            var failed = span.Status.Code == StatusCode.Error
                ? "  [red]✗ error" + (span.Status.Message.Length > 0 ? ": " + Markup.Escape(span.Status.Message) : string.Empty) + "[/]"
                : string.Empty;
            var marker = analyses?.CriticalSpans.Contains(span.SpanId) == true ? $"[yellow]{CriticalMarker}[/]" : " ";
            console.MarkupLine($"{bar} {Terminal.Duration(span.DurationNanos),9} {marker} {Markup.Escape(prefix)}{Markup.Escape(name)}  [{color}]{Markup.Escape(span.ServiceName)}[/]{failed}");
        }
        if (ordered.Count > MaxSpansShown)
            console.WriteLine($"… {ordered.Count - MaxSpansShown} more span(s) not shown; `curl <server>/api/v1/traces/{spans[0].TraceId}` has them all.");
        if (analyses is not null) WriteAnalyses(console, analyses);
    }

    private static void WriteAnalyses(IAnsiConsole console, TraceAnalyses analyses)
    {
        console.WriteLine();
        var skew = analyses.ShiftedSpans > 0 ? string.Create(CultureInfo.InvariantCulture, $" (clock skew corrected on {analyses.ShiftedSpans} span(s))") : string.Empty;
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"[yellow]{CriticalMarker}[/] critical path: the {analyses.CriticalSpans.Count} span(s) that set the {Terminal.Duration(analyses.CriticalPathNanos)} end to end{skew}"));
        console.WriteLine();
        if (analyses.Findings.Count == 0)
        {
            console.MarkupLine("[green]Health: no problems found.[/]");
            return;
        }
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"[bold]Health: {analyses.Findings.Count} finding(s)[/]"));
        foreach (var finding in analyses.Findings)
        {
            var (style, label) = finding.Severity switch
            {
                "error" => ("red", "✗ error  "),
                "warning" => ("yellow", "! warning"),
                _ => ("blue", "i info   "),
            };
            console.MarkupLine($"  [{style}]{label}[/]  {Markup.Escape(finding.Title)} [dim]({Markup.Escape(finding.Kind)})[/]");
            console.MarkupLine($"             {Markup.Escape(finding.Message)}");
        }
    }

    /// <summary>
    /// Every span once, parents before children, siblings by start time, each with its tree
    /// prefix. A span whose parent is not in the trace starts a tree of its own; a parent cycle
    /// (bad data) cannot loop, since a span is placed only once.
    /// </summary>
    internal static List<(Span Span, string Prefix)> InTreeOrder(IReadOnlyList<Span> spans)
    {
        var ids = new HashSet<SpanId>(spans.Select(s => s.SpanId));
        var children = new Dictionary<SpanId, List<Span>>();
        foreach (var span in spans)
        {
            if (span.ParentSpanId.IsEmpty || !ids.Contains(span.ParentSpanId)) continue;
            if (!children.TryGetValue(span.ParentSpanId, out var list)) children[span.ParentSpanId] = list = [];
            list.Add(span);
        }
        foreach (var list in children.Values) list.Sort(ByStart);

        var roots = spans.Where(s => s.ParentSpanId.IsEmpty || !ids.Contains(s.ParentSpanId)).ToList();
        roots.Sort(ByStart);
        var placed = new HashSet<Span>(ReferenceEqualityComparer.Instance);
        var ordered = new List<(Span, string)>(spans.Count);
        // Roots first; then anything only reachable through a cycle.
        foreach (var root in roots.Concat(spans.OrderBy(s => s.StartTimeUnixNano)))
        {
            if (placed.Contains(root)) continue;
            var stack = new Stack<(Span Span, string Prefix, string ChildPrefix)>();
            stack.Push((root, string.Empty, string.Empty));
            while (stack.Count > 0)
            {
                var (span, prefix, childPrefix) = stack.Pop();
                if (!placed.Add(span)) continue;
                ordered.Add((span, prefix));
                if (!children.TryGetValue(span.SpanId, out var kids)) continue;
                for (var i = kids.Count - 1; i >= 0; i--)
                {
                    var last = i == kids.Count - 1;
                    stack.Push((kids[i], childPrefix + (last ? "└─ " : "├─ "), childPrefix + (last ? "   " : "│  ")));
                }
            }
        }
        return ordered;
    }

    private static int ByStart(Span a, Span b) => a.StartTimeUnixNano.CompareTo(b.StartTimeUnixNano);
}
