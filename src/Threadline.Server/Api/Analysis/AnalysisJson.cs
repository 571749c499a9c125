using System.Globalization;
using System.Text.Json;
using Threadline.Core.Analysis.Naming;
using Threadline.Query.Analysis;
using Threadline.Storage.Aggregates;

namespace Threadline.Server.Api.Analysis;

/// <summary>The JSON of the aggregate analyses, as docs/api.md and the UI expect it (times as strings of Unix ns, durations as numbers of ns).</summary>
internal static class AnalysisJson
{
    public static void WriteServiceGraph(Utf8JsonWriter writer, ServiceGraph graph)
    {
        writer.WriteStartObject();
        writer.WriteString("startTimeUnixNano", Nanos(graph.Range.StartUnixNano));
        writer.WriteString("endTimeUnixNano", Nanos(graph.Range.EndUnixNano));
        writer.WriteStartArray("nodes");
        foreach (var node in graph.Nodes)
        {
            writer.WriteStartObject();
            writer.WriteString("id", node.Id);
            writer.WriteString("name", node.Name);
            writer.WriteString("type", NodeType(node.Type));
            writer.WriteNumber("ratePerSecond", node.Figures.RatePerSecond);
            writer.WriteNumber("errorPercent", node.Figures.ErrorRatio * 100);
            writer.WriteNumber("count", node.Figures.Count);
            writer.WriteNumber("errorCount", node.Figures.ErrorCount);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("edges");
        foreach (var edge in graph.Edges)
        {
            writer.WriteStartObject();
            writer.WriteString("caller", edge.Caller);
            writer.WriteString("callee", edge.Callee);
            writer.WriteString("connectionType", ConnectionTypeName(edge.ConnectionType));
            writer.WriteNumber("count", edge.Figures.Count);
            writer.WriteNumber("errorCount", edge.Figures.ErrorCount);
            writer.WriteNumber("ratePerSecond", edge.Figures.RatePerSecond);
            writer.WriteNumber("errorPercent", edge.Figures.ErrorRatio * 100);
            WriteQuantiles(writer, edge.Figures);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary><c>"total":{…},"points":[…]</c> inside the current object.</summary>
    public static void WriteSeries(Utf8JsonWriter writer, RedSeries series)
    {
        writer.WritePropertyName("total");
        writer.WriteStartObject();
        WriteFigures(writer, series.Total);
        writer.WriteEndObject();
        writer.WriteStartArray("points");
        foreach (var point in series.Points)
        {
            writer.WriteStartObject();
            writer.WriteString("startTimeUnixNano", Nanos(point.StartUnixNano));
            WriteFigures(writer, point.Figures);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    public static void WriteNamingHealth(Utf8JsonWriter writer, IReadOnlyList<ServiceNamingHealth> report)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("services");
        foreach (var service in report)
        {
            writer.WriteStartObject();
            writer.WriteString("service", service.Service);
            writer.WriteNumber("distinctNames", service.DistinctNames);
            writer.WriteBoolean("tracked", service.Tracked);
            writer.WriteBoolean("exceedsLimit", service.ExceedsLimit);
            writer.WriteStartArray("findings");
            foreach (var finding in service.Findings)
            {
                writer.WriteStartObject();
                writer.WriteString("suggestedName", finding.SuggestedName);
                writer.WriteString("reason", NamingReasonNames.Of(finding.Reason));
                writer.WriteNumber("distinctNames", finding.DistinctNames);
                writer.WriteStartArray("examples");
                foreach (var example in finding.Examples) writer.WriteStringValue(example);
                writer.WriteEndArray();
                writer.WriteString("message", NamingMessage(finding));
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteFigures(Utf8JsonWriter writer, RedFigures figures)
    {
        writer.WriteNumber("count", figures.Count);
        writer.WriteNumber("errorCount", figures.ErrorCount);
        writer.WriteNumber("ratePerSecond", figures.RatePerSecond);
        writer.WriteNumber("errorRatio", figures.ErrorRatio);
        WriteQuantiles(writer, figures);
    }

    private static void WriteQuantiles(Utf8JsonWriter writer, RedFigures figures)
    {
        WriteNanos(writer, "p50Nanos", figures.P50Nanos);
        WriteNanos(writer, "p90Nanos", figures.P90Nanos);
        WriteNanos(writer, "p95Nanos", figures.P95Nanos);
        WriteNanos(writer, "p99Nanos", figures.P99Nanos);
    }

    private static void WriteNanos(Utf8JsonWriter writer, string name, double? nanos)
    {
        if (nanos is { } value) writer.WriteNumber(name, (long)Math.Round(value));
        else writer.WriteNull(name);
    }

    private static string Nanos(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    public static string NodeType(GraphNodeType type) => type switch
    {
        GraphNodeType.Database => "database",
        GraphNodeType.Messaging => "messaging",
        GraphNodeType.External => "external",
        _ => "service",
    };

    public static string ConnectionTypeName(ConnectionType type) => type switch
    {
        ConnectionType.Database => "database",
        ConnectionType.External => "external",
        ConnectionType.Messaging or ConnectionType.MessagingSystem => "messaging",
        _ => "call",
    };

    private static string NamingMessage(NamingFinding finding)
    {
        var count = finding.DistinctNames.ToString("N0", CultureInfo.InvariantCulture);
        var (what, advice) = finding.Reason switch
        {
            NamingReason.Url => ("carry a full URL or a query string", "name the span after the method and route template"),
            NamingReason.Sql => ("are whole SQL statements", "name the span after the operation and table"),
            NamingReason.Uuid => ("differ only by a UUID", "name the span after the route template"),
            NamingReason.Hex => ("differ only by a hexadecimal id", "name the span after the route template"),
            NamingReason.Id => ("differ only by an id in the path", "name the span after the route template"),
            _ => ("differ only by a number", "keep numbers in attributes, not in the name"),
        };
        return $"{count} span names {what}; {advice} ('{finding.SuggestedName}').";
    }
}
