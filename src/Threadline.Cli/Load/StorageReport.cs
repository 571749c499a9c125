using System.Globalization;
using System.Text.Json;

namespace Threadline.Cli.Load;

/// <summary>What the data of a storage run was, for the report.</summary>
/// <param name="BodyBytes">Total OTLP protobuf bytes of the pregenerated requests.</param>
/// <param name="GeneratorSpansPerSecond">Generating and encoding alone, measured while pregenerating.</param>
internal sealed record DataFigures(string Kind, int Seed, long Spans, long PregeneratedSpans, long BodyBytes, double GeneratorSpansPerSecond)
{
    public double OtlpBytesPerSpan => PregeneratedSpans > 0 ? (double)BodyBytes / PregeneratedSpans : 0;
}

/// <summary>A storage run's figures as a table for people and as JSON for scripts (<c>--output json</c>).</summary>
internal static class StorageReport
{
    public static void WriteTable(TextWriter output, DataFigures data, IReadOnlyList<StorageFigures> runs)
    {
        var baseline = runs.FirstOrDefault(r => r.Storage == StorageChoice.DecodeOnly)?.Ingest.SpansPerSecond;
        output.WriteLine();
        output.WriteLine(Invariant($"Data: {data.Kind}, seed {data.Seed}, {data.Spans:N0} spans asked, {data.PregeneratedSpans:N0} pregenerated ({data.OtlpBytesPerSpan:0} B/span as OTLP protobuf; generator alone {data.GeneratorSpansPerSecond:N0} spans/s)."));
        output.WriteLine(Invariant($"{"storage",-12} {"spans",12} {"ingest/s",10} {"vs decode",9} {"p50 ms",7} {"p99 ms",7} {"refused",8} {"failed",7} {"fill/s",9} {"peak MiB",9} {"disk B/span",11}"));
        foreach (var run in runs)
        {
            output.WriteLine(Invariant(
                $"{run.Storage.Name(),-12} {run.StoredSpans,12:N0} {run.Ingest.SpansPerSecond,10:N0} {(baseline is > 0 ? (run.Ingest.SpansPerSecond / baseline.Value).ToString("P0", CultureInfo.InvariantCulture) : "-"),9} {run.Ingest.LatencyP50Ms,7:0.0} {run.Ingest.LatencyP99Ms,7:0.0} {run.Ingest.RefusedRequests + (run.Fill?.RefusedRequests ?? 0),8:N0} {run.Ingest.FailedRequests + (run.Fill?.FailedRequests ?? 0),7:N0} {(run.Fill is { } fill ? fill.SpansPerSecond.ToString("N0", CultureInfo.InvariantCulture) : "-"),9} {run.PeakMemoryBytes / 1048576.0,9:N0} {(run.BytesPerSpan is { } b ? b.ToString("0.0", CultureInfo.InvariantCulture) : "-"),11}"));
        }
        foreach (var run in runs.Where(r => r.StoreMetrics.Count > 0))
        {
            output.WriteLine();
            output.WriteLine($"Store metrics after ingest, {run.Storage.Name()}:");
            output.WriteLine("  " + string.Join(", ", run.StoreMetrics.Where(m => !m.Key.EndsWith("_bucket", StringComparison.Ordinal)).Select(m => Invariant($"{m.Key["threadline_store_".Length..]}={m.Value:0.###}"))));
        }
        foreach (var run in runs.Where(r => r.Queries.Count > 0 || r.Restart is not null))
        {
            output.WriteLine();
            output.WriteLine($"Queries, {run.Storage.Name()} ({run.StoredSpans:N0} spans stored), one at a time:");
            output.WriteLine($"  {"query",-28} {"count",6} {"median ms",10} {"p99 ms",9} {"misses",7} {"failed",7}");
            foreach (var q in run.Queries)
            {
                output.WriteLine(q.Count == 0 && q.Note is not null
                    ? $"  {q.Name,-28} {q.Note}"
                    : Invariant($"  {q.Name,-28} {q.Count,6} {q.MedianMs,10:0.00} {q.P99Ms,9:0.00} {q.Misses,7} {q.Failures,7}{(q.Note is null ? "" : "  (" + q.Note + ")")}"));
            }
            if (run.Restart is { } restart)
            {
                output.WriteLine(Invariant($"  clean stop {restart.Stop.TotalSeconds:0.00} s; restart: ready in {restart.Ready.TotalSeconds:0.00} s, first trace by id in {(restart.FirstTrace is { } t ? t.TotalSeconds.ToString("0.00 's'", CultureInfo.InvariantCulture) : "never")}; {restart.Missing} of {restart.Checked} acknowledged traces missing after restart; peak {restart.PeakMemoryBytes / 1048576.0:N0} MiB after restart."));
                output.WriteLine(Invariant($"  data directory after the clean stop: {run.DiskBytes:N0} bytes, {run.BytesPerSpan:0.0} B/span ({string.Join(", ", (run.DiskBytesByDirectory ?? new Dictionary<string, long>()).Select(e => Invariant($"{e.Key} {e.Value:N0}")))})."));
            }
            else if (run.DiskBytes is not null)
            {
                output.WriteLine(Invariant($"  ClickHouse system.parts (active) after ingest: {run.DiskBytes:N0} bytes, {run.BytesPerSpan:0.0} B/span ({string.Join(", ", (run.DiskBytesByDirectory ?? new Dictionary<string, long>()).Select(e => Invariant($"{e.Key} {e.Value:N0}")))})."));
            }
        }
    }

    public static void WriteJson(Stream output, DataFigures data, StorageRunSettings settings, IReadOnlyList<StorageFigures> runs)
    {
        var baseline = runs.FirstOrDefault(r => r.Storage == StorageChoice.DecodeOnly)?.Ingest.SpansPerSecond;
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteStartObject("data");
        json.WriteString("kind", data.Kind);
        json.WriteNumber("seed", data.Seed);
        json.WriteNumber("spans", data.Spans);
        json.WriteNumber("pregeneratedSpans", data.PregeneratedSpans);
        json.WriteNumber("otlpBytesPerSpan", Math.Round(data.OtlpBytesPerSpan, 1));
        json.WriteNumber("generatorSpansPerSecond", Math.Round(data.GeneratorSpansPerSecond));
        json.WriteEndObject();
        json.WriteStartObject("load");
        json.WriteString("protocol", settings.Protocol == LoadProtocol.Grpc ? "grpc" : "http");
        json.WriteNumber("concurrency", settings.Concurrency);
        json.WriteNumber("spansPerRequest", settings.SpansPerRequest);
        json.WriteNumber("cores", Environment.ProcessorCount);
        json.WriteEndObject();
        json.WriteStartArray("runs");
        foreach (var run in runs)
        {
            json.WriteStartObject();
            json.WriteString("storage", run.Storage.Name());
            json.WriteNumber("storedSpans", run.StoredSpans);
            WriteLoad(json, "ingest", run.Ingest);
            if (baseline is > 0) json.WriteNumber("ingestRatioToDecodeOnly", Math.Round(run.Ingest.SpansPerSecond / baseline.Value, 3));
            if (run.Fill is { } fill) WriteLoad(json, "fill", fill);
            json.WriteNumber("peakMemoryBytes", run.PeakMemoryBytes);
            if (run.DiskBytes is { } disk) json.WriteNumber("diskBytes", disk);
            if (run.DiskBytesByDirectory is { } entries)
            {
                json.WriteStartObject("diskBytesByEntry");
                foreach (var (entry, bytes) in entries) json.WriteNumber(entry, bytes);
                json.WriteEndObject();
            }
            if (run.BytesPerSpan is { } perSpan) json.WriteNumber("diskBytesPerSpan", Math.Round(perSpan, 2));
            json.WriteStartArray("queries");
            foreach (var q in run.Queries)
            {
                json.WriteStartObject();
                json.WriteString("name", q.Name);
                json.WriteNumber("count", q.Count);
                json.WriteNumber("medianMs", Math.Round(q.MedianMs, 3));
                json.WriteNumber("p99Ms", Math.Round(q.P99Ms, 3));
                json.WriteNumber("misses", q.Misses);
                json.WriteNumber("failures", q.Failures);
                if (q.Note is not null) json.WriteString("note", q.Note);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartObject("storeMetrics");
            foreach (var (name, value) in run.StoreMetrics) json.WriteNumber(name, value);
            json.WriteEndObject();
            if (run.Restart is { } restart)
            {
                json.WriteStartObject("restart");
                json.WriteNumber("stopMs", Math.Round(restart.Stop.TotalMilliseconds));
                json.WriteNumber("readyMs", Math.Round(restart.Ready.TotalMilliseconds));
                if (restart.FirstTrace is { } first) json.WriteNumber("firstTraceMs", Math.Round(first.TotalMilliseconds));
                else json.WriteNull("firstTraceMs");
                json.WriteNumber("checkedTraces", restart.Checked);
                json.WriteNumber("missingTraces", restart.Missing);
                json.WriteNumber("peakMemoryBytes", restart.PeakMemoryBytes);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteLoad(Utf8JsonWriter json, string name, LoadResult result)
    {
        json.WriteStartObject(name);
        json.WriteNumber("spans", result.AcceptedSpans);
        json.WriteNumber("seconds", Math.Round(result.Elapsed.TotalSeconds, 3));
        json.WriteNumber("spansPerSecond", Math.Round(result.SpansPerSecond));
        json.WriteNumber("requests", result.AcceptedRequests);
        json.WriteNumber("refused", result.RefusedRequests);
        json.WriteNumber("failed", result.FailedRequests);
        json.WriteNumber("timedOut", result.TimedOutRequests);
        json.WriteNumber("p50Ms", Math.Round(result.LatencyP50Ms, 3));
        json.WriteNumber("p99Ms", Math.Round(result.LatencyP99Ms, 3));
        json.WriteEndObject();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
