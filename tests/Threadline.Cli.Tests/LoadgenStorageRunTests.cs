using System.CommandLine;
using System.Text.Json;
using Threadline.Cli.Load;

namespace Threadline.Cli.Tests;

/// <summary>
/// <c>threadline loadgen --storage …</c>: mistakes are named before anything starts, and a tiny
/// run against real child servers reports every figure the storage work is judged by.
/// </summary>
public sealed class LoadgenStorageRunTests
{
    [Theory]
    [InlineData("threadline loadgen: --storage takes decode-only, memory, embedded or clickhouse, or several separated by commas; got 'disk'.", "--storage", "memory,disk")]
    [InlineData("threadline loadgen: --storage names memory twice.", "--storage", "memory,memory")]
    [InlineData("threadline loadgen: --data takes templates or realistic; got 'random'.", "--storage", "memory", "--data", "random")]
    [InlineData("threadline loadgen: --output takes table or json; got 'xml'.", "--storage", "memory", "--output", "xml")]
    [InlineData("threadline loadgen: --spans must be between 1 and 1000000000; got 0.", "--spans", "0")]
    [InlineData("threadline loadgen: --queries must be between 0 and 100000; got -1.", "--storage", "memory", "--queries", "-1")]
    [InlineData("threadline loadgen: --data-dir is the embedded server's: add embedded to --storage.", "--storage", "memory", "--data-dir", "/tmp/x")]
    [InlineData("threadline loadgen: --data-dir belongs to a storage run: add --storage embedded.", "--data-dir", "/tmp/x")]
    [InlineData("threadline loadgen: --output json is for a storage run: add --storage.", "--output", "json")]
    [InlineData("threadline loadgen: --storage, --spans and --queries start their own servers; drop --target.", "--storage", "memory", "--target", "http://127.0.0.1:4318/v1/traces")]
    public async Task A_storage_run_mistake_is_named_before_anything_starts(string expected, params string[] arguments)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };

        var exitCode = await ThreadlineCli.RunAsync(["loadgen", .. arguments], new InvocationConfiguration { Output = output, Error = error });

        Assert.Equal(2, exitCode);
        Assert.Equal("", output.ToString());
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"{expected.TrimEnd('.')} (see 'threadline loadgen --help').", line);
    }

    [Fact]
    public async Task A_data_dir_that_holds_files_is_refused_so_nothing_foreign_is_measured()
    {
        var directory = Directory.CreateTempSubdirectory("loadgen-test-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "old.txt"), "data");
            var error = new StringWriter { NewLine = "\n" };

            var exitCode = await ThreadlineCli.RunAsync(["loadgen", "--storage", "embedded", "--data-dir", directory.FullName],
                new InvocationConfiguration { Output = new StringWriter(), Error = error });

            Assert.Equal(2, exitCode);
            Assert.Contains($"--data-dir {directory.FullName} is not empty", error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_tiny_run_reports_ingest_for_every_choice_and_queries_for_the_memory_store()
    {
        var (exitCode, output, error) = await ThreadlineProcess.RunAsync(TimeSpan.FromMinutes(3),
            "loadgen", "--storage", "decode-only,memory", "--spans", "600", "--spans-per-request", "50", "--concurrency", "2", "--queries", "5", "--output", "json");

        Assert.True(exitCode == 0, $"exit code {exitCode}: {error}");
        using var json = JsonDocument.Parse(output);
        var data = json.RootElement.GetProperty("data");
        Assert.Equal("realistic", data.GetProperty("kind").GetString());
        Assert.InRange(data.GetProperty("pregeneratedSpans").GetInt64(), 600, 600 + 59);
        Assert.InRange(data.GetProperty("otlpBytesPerSpan").GetDouble(), 350, 650);

        var runs = json.RootElement.GetProperty("runs").EnumerateArray().ToDictionary(r => r.GetProperty("storage").GetString()!);
        Assert.Equal(["decode-only", "memory"], runs.Keys);
        foreach (var run in runs.Values)
        {
            var ingest = run.GetProperty("ingest");
            // Every generated span is acknowledged (refused bodies are sent again), none fails.
            Assert.Equal(data.GetProperty("pregeneratedSpans").GetInt64(), run.GetProperty("storedSpans").GetInt64());
            Assert.Equal(0, ingest.GetProperty("failed").GetInt64());
            Assert.True(ingest.GetProperty("spansPerSecond").GetDouble() > 0);
            Assert.True(run.GetProperty("peakMemoryBytes").GetInt64() > 0);
        }
        Assert.Equal(1.0, runs["decode-only"].GetProperty("ingestRatioToDecodeOnly").GetDouble());
        Assert.Empty(runs["decode-only"].GetProperty("queries").EnumerateArray());

        var queries = runs["memory"].GetProperty("queries").EnumerateArray().ToDictionary(q => q.GetProperty("name").GetString()!);
        // What was acknowledged is found: no lookup misses its trace, no search misses its probe.
        foreach (var name in new[] { "trace by id", "search service+name 1h", "search user.id 1h" })
        {
            Assert.Equal(5, queries[name].GetProperty("count").GetInt32());
            Assert.Equal(0, queries[name].GetProperty("misses").GetInt32());
            Assert.Equal(0, queries[name].GetProperty("failures").GetInt32());
            Assert.True(queries[name].GetProperty("medianMs").GetDouble() > 0);
        }
        Assert.NotEmpty(runs["memory"].GetProperty("storeMetrics").EnumerateObject());
        // The memory engine loses everything on restart: no disk figure, no restart.
        Assert.False(runs["memory"].TryGetProperty("diskBytesPerSpan", out _));
        Assert.False(runs["memory"].TryGetProperty("restart", out _));
    }

    [Fact]
    public async Task A_tiny_embedded_run_reports_its_disk_bytes_and_a_restart_that_loses_nothing()
    {
        var directory = Path.Combine(Path.GetTempPath(), "loadgen-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (exitCode, output, error) = await ThreadlineProcess.RunAsync(TimeSpan.FromMinutes(3),
                "loadgen", "--storage", "embedded", "--spans", "600", "--spans-per-request", "50", "--concurrency", "2", "--queries", "3",
                "--data-dir", directory, "--output", "json");

            Assert.True(exitCode == 0, $"exit code {exitCode}: {error}");
            using var json = JsonDocument.Parse(output);
            var run = Assert.Single(json.RootElement.GetProperty("runs").EnumerateArray());
            Assert.Equal("embedded", run.GetProperty("storage").GetString());
            var stored = run.GetProperty("storedSpans").GetInt64();
            Assert.InRange(stored, 600, 600 + 59);
            // The figure is the directory as it was left: loadgen keeps a directory the user named.
            var entries = run.GetProperty("diskBytesByEntry").EnumerateObject().ToDictionary(e => e.Name, e => e.Value.GetInt64());
            Assert.Equal(run.GetProperty("diskBytes").GetInt64(), entries.Values.Sum());
            Assert.Equal(Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length), entries.Values.Sum());
            Assert.Equal(Math.Round(entries.Values.Sum() / (double)stored, 2), run.GetProperty("diskBytesPerSpan").GetDouble());
            var restart = run.GetProperty("restart");
            Assert.True(restart.GetProperty("readyMs").GetDouble() > 0);
            Assert.True(restart.GetProperty("firstTraceMs").GetDouble() >= restart.GetProperty("readyMs").GetDouble());
            Assert.True(restart.GetProperty("checkedTraces").GetInt32() > 0);
            Assert.Equal(0, restart.GetProperty("missingTraces").GetInt32());
            var queries = run.GetProperty("queries").EnumerateArray().ToDictionary(q => q.GetProperty("name").GetString()!);
            Assert.Equal(0, queries["trace by id"].GetProperty("misses").GetInt32());
            Assert.Equal(0, queries["search user.id 1h"].GetProperty("misses").GetInt32());
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Store_metrics_are_the_unlabelled_threadline_store_samples()
    {
        var samples = StoreMetricsSnapshot.Parse(
            "# HELP threadline_store_spans Spans held.\n" +
            "threadline_store_spans 1234\n" +
            "threadline_store_append_duration_seconds_bucket{le=\"0.1\"} 3\n" +
            "threadline_store_append_duration_seconds_sum 0.25\n" +
            "threadline_store_ratio NaN\n" +
            "threadline_receiver_spans_total{outcome=\"accepted\"} 9\n" +
            "threadline_ingest_queue_spans 5\n");

        Assert.Equal(new Dictionary<string, double> { ["threadline_store_append_duration_seconds_sum"] = 0.25, ["threadline_store_spans"] = 1234 }, samples);
    }
}
