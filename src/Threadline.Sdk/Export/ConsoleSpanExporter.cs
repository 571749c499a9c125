using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Threadline.Sdk.Export;

/// <summary>
/// Prints each trace as an indented tree for a human at a terminal: one line per span with its name, kind,
/// duration, status and attributes, children indented under their parent, events under their span.
/// </summary>
/// <remarks>
/// Children end before their parents, so spans wait until their trace's local root (the span whose parent
/// is not in this process) ends, then the whole tree is printed. Spans still waiting at flush or shutdown
/// are printed as they are. The output is meant for reading and may change; do not parse it.
/// <code>
/// trace 4bf92f3577b34da6a3ce929d0e0e4736 (checkout)
///   GET /orders [Server] 12.345 ms Ok {http.request.method=GET, http.route=/orders}
///     SELECT orders [Client] 3.1 ms Error: timeout {db.system.name=postgresql}
///       * exception {exception.type=System.TimeoutException, exception.message=timeout}
/// </code>
/// </remarks>
public sealed class ConsoleSpanExporter : SpanExporter
{
    private const int MaxWaitingSpans = 10_000;
    private const int MaxValueLength = 256;

    private readonly TextWriter _writer;
    private readonly Dictionary<ActivityTraceId, List<Activity>> _waiting = [];
    private int _waitingCount;

    /// <param name="writer">Where to print; <see cref="Console.Out"/> when null.</param>
    public ConsoleSpanExporter(TextWriter? writer = null) => _writer = writer ?? Console.Out;

    /// <inheritdoc />
    public override Task<ExportResult> ExportAsync(IReadOnlyList<Activity> batch, CancellationToken cancellationToken)
    {
        List<ActivityTraceId>? complete = null;
        for (var i = 0; i < batch.Count; i++)
        {
            var span = batch[i];
            if (!_waiting.TryGetValue(span.TraceId, out var spans)) _waiting[span.TraceId] = spans = [];
            spans.Add(span);
            _waitingCount++;
            if (IsLocalRoot(span)) (complete ??= []).Add(span.TraceId);
        }
        if (complete is not null)
        {
            foreach (var traceId in complete) PrintTrace(traceId);
        }
        // A trace whose root never ends here (its parent is in another session) must not grow without bound.
        if (_waitingCount > MaxWaitingSpans) PrintAll();
        _writer.Flush();
        return Task.FromResult(ExportResult.Success);
    }

    /// <inheritdoc />
    public override Task<bool> ForceFlushAsync(CancellationToken cancellationToken)
    {
        PrintAll();
        _writer.Flush();
        return Task.FromResult(true);
    }

    /// <inheritdoc />
    public override Task ShutdownAsync(CancellationToken cancellationToken) => ForceFlushAsync(cancellationToken);

    private static bool IsLocalRoot(Activity span) => span.Parent is not { Recorded: true };

    private void PrintAll()
    {
        foreach (var traceId in _waiting.Keys.ToArray()) PrintTrace(traceId);
    }

    private void PrintTrace(ActivityTraceId traceId)
    {
        if (!_waiting.Remove(traceId, out var spans)) return;
        _waitingCount -= spans.Count;

        var children = new Dictionary<ActivitySpanId, List<Activity>>();
        var present = new HashSet<ActivitySpanId>();
        foreach (var span in spans) present.Add(span.SpanId);
        var tops = new List<Activity>();
        foreach (var span in spans)
        {
            if (span.ParentSpanId != default && present.Contains(span.ParentSpanId))
            {
                if (!children.TryGetValue(span.ParentSpanId, out var siblings)) children[span.ParentSpanId] = siblings = [];
                siblings.Add(span);
            }
            else
            {
                tops.Add(span);
            }
        }

        var text = new StringBuilder();
        text.Append("trace ").Append(traceId.ToHexString());
        var service = Resource.ServiceName;
        if (Resource.Attributes.Count > 0) text.Append(" (").Append(service).Append(')');
        text.AppendLine();
        tops.Sort(ByStartTime);
        foreach (var top in tops) AppendSpan(text, top, children, depth: 1);
        _writer.Write(text.ToString());
    }

    private static int ByStartTime(Activity left, Activity right) => left.StartTimeUtc.CompareTo(right.StartTimeUtc);

    private static void AppendSpan(StringBuilder text, Activity span, Dictionary<ActivitySpanId, List<Activity>> children, int depth)
    {
        var indent = new string(' ', depth * 2);
        text.Append(indent).Append(span.DisplayName)
            .Append(" [").Append(span.Kind.ToString()).Append("] ")
            .Append(span.Duration.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)).Append(" ms ")
            .Append(span.Status.ToString());
        if (span.Status == ActivityStatusCode.Error && !string.IsNullOrEmpty(span.StatusDescription))
        {
            text.Append(": ").Append(Printable(span.StatusDescription));
        }
        AppendAttributes(text, span.EnumerateTagObjects());
        text.AppendLine();

        foreach (var activityEvent in DroppedCounts.EventsToExport(span))
        {
            text.Append(indent).Append("  * ").Append(activityEvent.Name);
            AppendAttributes(text, activityEvent.EnumerateTagObjects());
            text.AppendLine();
        }
        if (DroppedCounts.Get(span) is { Any: true } dropped)
        {
            text.Append(indent).Append("  (dropped by limits: ").Append(dropped.Attributes).Append(" attributes, ")
                .Append(dropped.Events).Append(" events, ").Append(dropped.Links).AppendLine(" links)");
        }

        if (!children.TryGetValue(span.SpanId, out var below)) return;
        below.Sort(ByStartTime);
        foreach (var child in below) AppendSpan(text, child, children, depth + 1);
    }

    private static void AppendAttributes(StringBuilder text, Activity.Enumerator<KeyValuePair<string, object?>> attributes)
    {
        var first = true;
        foreach (ref readonly var attribute in attributes)
        {
            text.Append(first ? " {" : ", ").Append(attribute.Key).Append('=').Append(Printable(Format(attribute.Value)));
            first = false;
        }
        if (!first) text.Append('}');
    }

    private static string Format(object? value)
    {
        if (value is Array array and not byte[])
        {
            var parts = new string[array.Length];
            for (var i = 0; i < array.Length; i++) parts[i] = FormatScalar(array.GetValue(i));
            return "[" + string.Join(", ", parts) + "]";
        }
        return FormatScalar(value);
    }

    private static string FormatScalar(object? value) => value switch
    {
        null => "",
        string text => text,
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>One line per span: newlines (stack traces) are shown escaped and long values cut.</summary>
    private static string Printable(string value)
    {
        if (value.Length > MaxValueLength) value = string.Concat(value.AsSpan(0, MaxValueLength), "…");
        return value.Contains('\n') || value.Contains('\r') ? value.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) : value;
    }
}
