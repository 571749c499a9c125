using System.Text.Json;

namespace Threadline.Cli.Tests.Query;

/// <summary>
/// The Jaeger-compatible API and <c>threadline trace</c> through a real <c>serve --demo</c>: the
/// demo's traffic, read back as the Jaeger UI reads it, holds together (every span's process is
/// in the trace, every parent reference is a CHILD_OF in the same trace, the dependency graph has the demo's calls).
/// </summary>
public sealed class DemoEndToEndTests
{
    // In memory: test processes share a working directory.
    private static readonly string[] FreePorts = ["--storage", "memory", "--otlp-grpc-port", "0", "--otlp-http-port", "0", "--zipkin-port", "0", "--api-port", "0", "--tempo-port", "0"];
    private static readonly TimeSpan DemoTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Demo_traces_read_through_the_Jaeger_API_hold_together_and_draw_as_a_waterfall()
    {
        await using var serve = ThreadlineProcess.Start(["serve", "--demo", "--log-level", "Warning", .. FreePorts]);
        var ready = await serve.WaitForOutputAsync(line => line.StartsWith(ReadyMessage.Prefix, StringComparison.Ordinal));
        var api = ApiAddress(ready);
        using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };

        // The demo needs a moment to start its services; wait until a caller→callee link and
        // api-gateway traces are both there, within a bound.
        var deadline = DateTime.UtcNow + DemoTimeout;
        JsonElement traces, links;
        while (true)
        {
            traces = await GetDataAsync(http, "/api/traces?service=api-gateway&limit=5&lookback=1h");
            links = await GetDataAsync(http, "/api/dependencies");
            if (traces.GetArrayLength() > 0 && links.GetArrayLength() > 0) break;
            Assert.True(DateTime.UtcNow < deadline, "No api-gateway traces and dependencies within 90 s. " + serve.Transcript);
            await Task.Delay(250);
        }

        Assert.Contains(links.EnumerateArray(), link => link.GetProperty("parent").GetString() == "api-gateway" && link.GetProperty("callCount").GetInt64() > 0);
        foreach (var trace in traces.EnumerateArray())
        {
            var traceId = trace.GetProperty("traceID").GetString();
            var processes = trace.GetProperty("processes");
            foreach (var span in trace.GetProperty("spans").EnumerateArray())
            {
                Assert.Equal(traceId, span.GetProperty("traceID").GetString());
                Assert.True(processes.TryGetProperty(span.GetProperty("processID").GetString()!, out _), "A span's process is missing from the trace.");
                Assert.True(span.GetProperty("startTime").GetInt64() > 0);
                // A parent may be in no process that exports (the demo's traffic source), so only its trace is checked.
                var parent = span.GetProperty("references").EnumerateArray().FirstOrDefault();
                if (parent.ValueKind == JsonValueKind.Object && parent.GetProperty("refType").GetString() == "CHILD_OF")
                    Assert.Equal(traceId, parent.GetProperty("traceID").GetString());
            }
        }

        var shown = traces[0].GetProperty("traceID").GetString()!;
        var (exitCode, output, error) = await QueryCommandTests.RunAsync("trace", shown, "--server", api.ToString());
        Assert.True(exitCode == 0, error);
        Assert.StartsWith($"Trace {shown}  ", output, StringComparison.Ordinal);
        // One bar per span; more spans of the trace may have arrived since it was listed.
        Assert.True(output.Split('\n').Count(line => line.Contains('█', StringComparison.Ordinal)) >= traces[0].GetProperty("spans").GetArrayLength(), output);
    }

    private static async Task<JsonElement> GetDataAsync(HttpClient http, string pathAndQuery)
    {
        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri(pathAndQuery, UriKind.Relative)));
        return document.RootElement.GetProperty("data").Clone();
    }

    private static Uri ApiAddress(string readyLine)
    {
        const string Label = "native API ";
        var start = readyLine.IndexOf(Label, StringComparison.Ordinal) + Label.Length;
        var end = readyLine.IndexOf(' ', start);
        return new Uri(new Uri(readyLine[start..end]), "/");
    }
}
