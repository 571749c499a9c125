using System.Globalization;
using System.Text.Json;
using Threadline.Core.Analysis;
using Threadline.Query.Analysis;

namespace Threadline.Server.Api.Analysis;

/// <summary>
/// The JSON of the per-trace analyses, exactly as docs/api.md ("Trace analyses") and the UI's
/// contract give it: ids in lowercase hex, timestamps as strings of Unix nanoseconds, durations
/// as numbers of nanoseconds.
/// </summary>
internal static class TraceAnalysisJson
{
    public static void WriteCriticalPath(Utf8JsonWriter writer, AnalyzedTrace trace, CriticalPathResult path)
    {
        var spans = trace.Tree.Spans;
        writer.WriteStartObject();
        writer.WriteString("traceId", trace.TraceId.ToString());
        writer.WriteNumber("durationNanos", path.DurationNanos);
        writer.WriteStartArray("segments");
        foreach (var segment in path.Segments)
        {
            var span = spans[segment.SpanIndex];
            writer.WriteStartObject();
            writer.WriteString("spanId", span.SpanId.ToString());
            writer.WriteString("service", span.ServiceName);
            writer.WriteString("name", span.Name);
            writer.WriteString("startTimeUnixNano", Nanos(segment.StartUnixNano));
            writer.WriteString("endTimeUnixNano", Nanos(segment.EndUnixNano));
            writer.WriteNumber("durationNanos", segment.DurationNanos);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("spans");
        foreach (var onPath in path.Spans)
        {
            writer.WriteStartObject();
            writer.WriteString("spanId", spans[onPath.SpanIndex].SpanId.ToString());
            writer.WriteNumber("criticalNanos", onPath.CriticalNanos);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static void WriteHealth(Utf8JsonWriter writer, AnalyzedTrace trace, IReadOnlyList<HealthFinding> findings)
    {
        var tree = trace.Tree;
        writer.WriteStartObject();
        writer.WriteString("traceId", trace.TraceId.ToString());
        writer.WriteNumber("spanCount", tree.Count);
        writer.WriteStartArray("rootSpanIds");
        foreach (var root in tree.Roots) writer.WriteStringValue(tree.Spans[root].SpanId.ToString());
        writer.WriteEndArray();
        writer.WriteNumber("depth", tree.Depth);
        writer.WriteStartArray("findings");
        foreach (var finding in findings)
        {
            writer.WriteStartObject();
            writer.WriteString("kind", KindName(finding.Kind));
            writer.WriteString("severity", SeverityName(finding.Severity));
            writer.WriteString("title", finding.Title);
            writer.WriteString("message", finding.Message);
            writer.WriteStartArray("spanIds");
            foreach (var id in finding.SpanIds) writer.WriteStringValue(id.ToString());
            writer.WriteEndArray();
            writer.WriteStartArray("services");
            foreach (var service in finding.Services) writer.WriteStringValue(service);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("skewAdjustments");
        foreach (var adjustment in trace.Skew.Adjustments)
        {
            writer.WriteStartObject();
            writer.WriteString("spanId", adjustment.SpanId.ToString());
            writer.WriteString("service", adjustment.Service);
            writer.WriteString("host", adjustment.Host);
            writer.WriteNumber("shiftNanos", adjustment.ShiftNanos);
            writer.WriteString("message", adjustment.Message);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static void WriteComparison(Utf8JsonWriter writer, TraceComparisonResult result)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("left");
        WriteOverview(writer, result.Left);
        writer.WritePropertyName("right");
        WriteOverview(writer, result.Right);
        writer.WriteStartArray("operations");
        foreach (var operation in result.Operations)
        {
            writer.WriteStartObject();
            writer.WriteStartArray("path");
            foreach (var step in operation.Path) writer.WriteStringValue(step);
            writer.WriteEndArray();
            writer.WriteString("service", operation.Service);
            writer.WriteString("name", operation.Name);
            writer.WriteString("change", ChangeName(operation.Change));
            writer.WriteNumber("leftCount", operation.LeftCount);
            writer.WriteNumber("rightCount", operation.RightCount);
            writer.WriteNumber("leftDurationNanos", operation.LeftDurationNanos);
            writer.WriteNumber("rightDurationNanos", operation.RightDurationNanos);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        // Not in the first contract: says the operations list stopped at TraceComparison.MaxOperations.
        writer.WriteBoolean("truncated", result.Truncated);
        writer.WriteEndObject();
    }

    private static void WriteOverview(Utf8JsonWriter writer, TraceOverview overview)
    {
        writer.WriteStartObject();
        if (overview.TraceId is { } id) writer.WriteString("traceId", id.ToString());
        else writer.WriteNull("traceId");
        writer.WriteString("rootService", overview.RootService);
        writer.WriteString("rootName", overview.RootName);
        writer.WriteNumber("durationNanos", overview.DurationNanos);
        writer.WriteNumber("spanCount", overview.SpanCount);
        if (overview.SampleCount is { } samples) writer.WriteNumber("sampleCount", samples);
        writer.WriteEndObject();
    }

    private static string Nanos(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    internal static string KindName(HealthFindingKind kind) => kind switch
    {
        HealthFindingKind.MissingParent => "missingParent",
        HealthFindingKind.Orphan => "orphan",
        HealthFindingKind.EndBeforeStart => "endBeforeStart",
        HealthFindingKind.NeverEnded => "neverEnded",
        HealthFindingKind.ChildOutsideParent => "childOutsideParent",
        HealthFindingKind.MixedSampling => "mixedSampling",
        HealthFindingKind.DuplicateSpanId => "duplicateSpanId",
        HealthFindingKind.ClockSkew => "clockSkew",
        HealthFindingKind.MultipleRoots => "multipleRoots",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown finding kind."),
    };

    private static string SeverityName(HealthSeverity severity) => severity switch
    {
        HealthSeverity.Error => "error",
        HealthSeverity.Warning => "warning",
        HealthSeverity.Info => "info",
        _ => throw new ArgumentOutOfRangeException(nameof(severity), severity, "Unknown severity."),
    };

    private static string ChangeName(OperationChange change) => change switch
    {
        OperationChange.Added => "added",
        OperationChange.Removed => "removed",
        OperationChange.Changed => "changed",
        OperationChange.Same => "same",
        _ => throw new ArgumentOutOfRangeException(nameof(change), change, "Unknown change."),
    };
}
