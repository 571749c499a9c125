using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Threadline.Core.Model;
using Threadline.Protocol.Otlp;
using Xunit.Abstractions;

namespace Threadline.IntegrationTests;

/// <summary>
/// The embedded engine when its disk fails under a real server: a full disk (a 4 MiB tmpfs
/// filled up) and a data directory turned read-only (a read-only bind mount over it). Ingest
/// answers 503 with Retry-After, reads keep working, nothing acknowledged is lost, and ingest
/// recovers by itself when the fault goes. Both need root (mount); elsewhere they pass without
/// running, saying so on the test output.
/// </summary>
public sealed class EmbeddedStorageFaultTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _mount = Path.Combine(Path.GetTempPath(), "threadline-fault-" + Guid.NewGuid().ToString("N"));
    private readonly List<Span[]> _acknowledged = [];
    private long _nextId;
    private bool _mounted;

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_mount);
        _mounted = Run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", _mount);
        if (!_mounted) output.WriteLine("mount is not permitted here (not root?): the disk fault tests did not run.");
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        if (_mounted) Run("umount", "-l", _mount);
        Directory.Delete(_mount, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Full_disk_refuses_ingest_with_503_keeps_reads_and_recovers_when_space_returns()
    {
        if (!_mounted) return;
        var dataDirectory = Path.Combine(_mount, "data");
        await using (var server = await StartAsync(dataDirectory, headMaxSpans: 1_000_000))
        {
            using var http = new HttpClient();
            for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.OK, await ExportAsync(http, server));

            var filler = Fill(Path.Combine(_mount, "filler"));
            var refused = await ExportUntilRefusedAsync(http, server);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
            await AssertAcknowledgedAsync(server);

            File.Delete(filler);
            Assert.Equal(HttpStatusCode.OK, await ExportAsync(http, server));
            await AssertAcknowledgedAsync(server);
        }
        await using var restarted = await StartAsync(dataDirectory, headMaxSpans: 1_000_000);
        await AssertAcknowledgedAsync(restarted);
    }

    [Fact]
    public async Task Read_only_data_directory_refuses_ingest_with_503_keeps_reads_and_recovers_when_writable()
    {
        if (!_mounted) return;
        var dataDirectory = Path.Combine(_mount, "data");
        // Small heads: each cut closes the log segment, so the next append must create a file.
        await using (var server = await StartAsync(dataDirectory, headMaxSpans: 10))
        {
            using var http = new HttpClient();
            for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.OK, await ExportAsync(http, server));

            Assert.True(Run("mount", "--bind", "-o", "ro", dataDirectory, dataDirectory), "read-only bind mount");
            HttpResponseMessage refused;
            try
            {
                refused = await ExportUntilRefusedAsync(http, server);
                await AssertAcknowledgedAsync(server);
            }
            finally
            {
                Assert.True(Run("umount", "-l", dataDirectory), "unmount the read-only bind");
            }
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
            // As a client does: retry after the advised delay until accepted (the store retries blocks every 5 s).
            await ExportUntilAcceptedAsync(http, server, refused.Headers.RetryAfter!.Delta ?? TimeSpan.FromSeconds(1));
            await AssertAcknowledgedAsync(server);
        }
        await using var restarted = await StartAsync(dataDirectory, headMaxSpans: 10);
        await AssertAcknowledgedAsync(restarted);
    }

    private static Task<TestServer> StartAsync(string dataDirectory, int headMaxSpans) => TestServer.StartAsync(options =>
    {
        options.Storage.Engine = "embedded";
        options.Storage.Embedded.DataDirectory = dataDirectory;
        options.Storage.Embedded.HeadMaxSpans = headMaxSpans;
        options.Storage.Embedded.WalSegmentBytes = 1 << 20;
    });

    private async Task<HttpResponseMessage> ExportUntilRefusedAsync(HttpClient http, TestServer server)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var trace = NextTrace();
            var response = await PostAsync(http, server, trace);
            if (response.StatusCode != HttpStatusCode.OK) return response;
            _acknowledged.Add(trace);
            response.Dispose();
        }
        throw new InvalidOperationException("200 exports were all acknowledged; the fault did not reach the store.");
    }

    private async Task ExportUntilAcceptedAsync(HttpClient http, TestServer server, TimeSpan retryAfter)
    {
        for (var attempt = 0; attempt < 60; attempt++)
        {
            if (await ExportAsync(http, server) == HttpStatusCode.OK) return;
            await Task.Delay(retryAfter);
        }
        throw new InvalidOperationException("Ingest did not recover within 60 retries after the directory became writable.");
    }

    private async Task<HttpStatusCode> ExportAsync(HttpClient http, TestServer server)
    {
        var trace = NextTrace();
        using var response = await PostAsync(http, server, trace);
        if (response.StatusCode == HttpStatusCode.OK) _acknowledged.Add(trace);
        return response.StatusCode;
    }

    private async Task AssertAcknowledgedAsync(TestServer server)
    {
        foreach (var trace in _acknowledged)
        {
            var stored = await server.Api.GetTraceAsync(trace[0].TraceId.ToString());
            Assert.Equal(trace.Select(s => s.SpanId).Order(), stored.Select(s => s.SpanId).Order());
        }
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, TestServer server, Span[] trace)
    {
        using var content = new ByteArrayContent(OtlpProtobufEncoder.EncodeExportRequest(trace));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        return await http.PostAsync(new Uri(server.OtlpHttpEndpoint, "/v1/traces"), content);
    }

    private Span[] NextTrace()
    {
        var id = (ulong)Interlocked.Increment(ref _nextId);
        var traceId = new TraceId(0x0fa17000_00000000UL + id, id);
        var start = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        var resource = new Resource([new("service.name", "faults")]);
        return [.. Enumerable.Range(1, 4).Select(i => new Span
        {
            TraceId = traceId,
            SpanId = new SpanId((id << 8) + (ulong)i),
            ParentSpanId = i == 1 ? SpanId.Empty : new SpanId((id << 8) + 1),
            Name = "step " + i,
            StartTimeUnixNano = start,
            EndTimeUnixNano = start + 1_000_000,
            // Some bulk, so the log grows by more than a few bytes per export.
            Attributes = [new("payload", new string('x', 2000))],
            Resource = resource,
        })];
    }

    // Writes until the file system is full; returns the file to delete to give the space back.
    private static string Fill(string path)
    {
        var chunk = new byte[64 * 1024];
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1);
        try
        {
            while (true) file.Write(chunk);
        }
        catch (IOException)
        {
            // Full.
        }
        return path;
    }

    private static bool Run(string program, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            process.WaitForExit(10_000);
            return process.HasExited && process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
