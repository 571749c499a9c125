using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Threadline.Cli.Tests;

/// <summary>
/// The real <c>threadline serve</c>: it says when it is ready and what to do next, and the first span
/// that the README tells a new user to paste is stored and can be read back.
/// </summary>
public sealed partial class ServeCommandTests
{
    // In memory: the children share a working directory; the embedded engine has its own process tests.
    private static readonly string[] FreePorts = ["--storage", "memory", "--otlp-grpc-port", "0", "--otlp-http-port", "0", "--zipkin-port", "0", "--api-port", "0", "--tempo-port", "0"];

    [Fact]
    public async Task Ready_line_names_every_endpoint_once_all_listen_and_its_curl_sends_a_span()
    {
        await using var serve = ThreadlineProcess.Start(["serve", .. FreePorts]);

        var ready = await serve.WaitForOutputAsync(line => line.StartsWith(ReadyMessage.Prefix, StringComparison.Ordinal));
        var next = await serve.WaitForOutputAsync(line => line.StartsWith("Send a first span:", StringComparison.Ordinal));

        var api = Url(ready, "native API ");
        var otlpHttp = Url(ready, "OTLP/HTTP ");
        Assert.EndsWith("/v1/traces", otlpHttp.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal("http", Url(ready, "OTLP/gRPC ").Scheme);
        Assert.EndsWith("/api/v2/spans", Url(ready, "Zipkin ").AbsolutePath, StringComparison.Ordinal);
        var tempo = Url(ready, "Tempo API for Grafana ");

        using var http = new HttpClient();
        // Printed only when every listener is up: the API answers ready at once.
        using (var readyz = await http.GetAsync(new Uri(api, "/readyz"))) Assert.Equal(HttpStatusCode.OK, readyz.StatusCode);
        // Grafana's Tempo data source first asks the printed address for the build info.
        using (var buildInfo = await http.GetAsync(new Uri(tempo, "/api/status/buildinfo"))) Assert.Equal(HttpStatusCode.OK, buildInfo.StatusCode);
        // The suggested curl posts to the printed OTLP/HTTP address, and reads back from the printed API.
        Assert.Contains($"curl -s {otlpHttp} -H 'Content-Type: application/json' -d '{FirstSpan.Body}'", next, StringComparison.Ordinal);
        Assert.EndsWith($"curl -s {new Uri(api, "/api/v1/traces/" + FirstSpan.TraceId)}", next, StringComparison.Ordinal);
        await AssertFirstSpanIsStoredAsync(http, otlpHttp, api, FirstSpan.Body);

        serve.Terminate();
        await serve.Process.WaitForExitAsync();
        Assert.Equal(0, serve.Process.ExitCode);
    }

    [Fact]
    public async Task Readme_first_span_is_the_one_serve_suggests_and_the_server_stores_it()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(ThreadlineProcess.RepositoryRoot(), "README.md"));
        var section = readme[readme.IndexOf("## Send your first span", StringComparison.Ordinal)..];
        var body = ReadmeHeredoc().Match(section).Groups["json"].Value;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(FirstSpan.Body), JsonNode.Parse(body)), "The README's first span differs from the one serve suggests.");
        // The README's commands use the default ports; the test server's are free ones.
        Assert.Contains("curl -s http://127.0.0.1:4318/v1/traces -H 'Content-Type: application/json' -d @- <<'EOF'", section, StringComparison.Ordinal);
        Assert.Contains($"curl -s http://127.0.0.1:16686/api/v1/traces/{FirstSpan.TraceId}", section, StringComparison.Ordinal);

        await using var serve = ThreadlineProcess.Start(["serve", .. FreePorts]);
        var ready = await serve.WaitForOutputAsync(line => line.StartsWith(ReadyMessage.Prefix, StringComparison.Ordinal));
        using var http = new HttpClient();
        await AssertFirstSpanIsStoredAsync(http, Url(ready, "OTLP/HTTP "), Url(ready, "native API "), body);
    }

    [Fact]
    public async Task Serve_with_demo_runs_the_demo_program_and_stops_it_with_the_server()
    {
        await using var serve = ThreadlineProcess.Start(["serve", "--demo", "--log-level", "Warning", .. FreePorts]);
        var api = Url(await serve.WaitForOutputAsync(line => line.StartsWith(ReadyMessage.Prefix, StringComparison.Ordinal)), "native API ");
        var gateway = await serve.WaitForOutputAsync(line => line.TrimStart().StartsWith("api-gateway ", StringComparison.Ordinal));
        var gatewayProcess = int.Parse(PidOf().Match(gateway).Groups["pid"].Value, System.Globalization.CultureInfo.InvariantCulture);

        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await http.GetStringAsync(new Uri(api, "/api/v1/services"))).Contains("\"api-gateway\"", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "No api-gateway spans arrived within 60 s. " + serve.Transcript);
            await Task.Delay(200);
        }

        serve.Terminate();
        await serve.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, serve.Process.ExitCode);
        Assert.Contains(serve.Transcript.Split(Environment.NewLine), line => line.StartsWith("Stopping the demo services", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => System.Diagnostics.Process.GetProcessById(gatewayProcess));
    }

    [GeneratedRegex(@"pid (?<pid>\d+)")]
    private static partial Regex PidOf();

    private static async Task AssertFirstSpanIsStoredAsync(HttpClient http, Uri otlpHttp, Uri api, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using (var posted = await http.PostAsync(otlpHttp, content))
        {
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
            // What the README says the user sees: OTLP's empty success.
            Assert.Equal("{}", await posted.Content.ReadAsStringAsync());
        }

        // Acknowledged means stored: the trace is there at once.
        using var trace = JsonDocument.Parse(await http.GetStringAsync(new Uri(api, "/api/v1/traces/" + FirstSpan.TraceId)));
        var json = trace.RootElement.GetRawText();
        Assert.Contains("\"GET /hello\"", json, StringComparison.Ordinal);
        Assert.Contains($"\"{FirstSpan.ServiceName}\"", json, StringComparison.Ordinal);
    }

    private static Uri Url(string line, string label)
    {
        var start = line.IndexOf(label, StringComparison.Ordinal) + label.Length;
        var end = line.IndexOfAny([' ', ','], start);
        return new Uri(line[start..(end < 0 ? line.Length : end)].TrimEnd('.'));
    }

    // The body between `<<'EOF'` and `EOF` in the README's first curl.
    [GeneratedRegex("<<'EOF'\\n(?<json>.*?)\\nEOF\\n", RegexOptions.Singleline)]
    private static partial Regex ReadmeHeredoc();
}
