using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Threadline.CommandLine;

namespace Threadline.Cli.Load;

/// <summary>
/// A <c>threadline serve</c> child process on free loopback ports, so its memory can be read
/// apart from the load generator's (peak resident set from /proc, VmHWM).
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, int otlpGrpcPort, int otlpHttpPort, int apiPort)
    {
        _process = process;
        OtlpGrpcEndpoint = new Uri($"http://127.0.0.1:{otlpGrpcPort}/");
        TracesEndpoint = new Uri($"http://127.0.0.1:{otlpHttpPort}/v1/traces");
        ApiEndpoint = new Uri($"http://127.0.0.1:{apiPort}/");
    }

    public Uri OtlpGrpcEndpoint { get; }
    public Uri TracesEndpoint { get; }
    public Uri ApiEndpoint { get; }

    /// <summary>Where a load run of <paramref name="protocol"/> sends to this server.</summary>
    public LoadTarget Target(LoadProtocol protocol) => new(protocol, protocol == LoadProtocol.Grpc ? OtlpGrpcEndpoint : TracesEndpoint);

    /// <param name="extraArguments">Flags for <c>threadline serve</c>.</param>
    /// <param name="cancellationToken">Cancels waiting for the server to be ready.</param>
    /// <param name="readyWithin">How long the server may take to answer /readyz (opening a large data directory takes a while).</param>
    public static async Task<ServerProcess> StartAsync(IEnumerable<string> extraArguments, CancellationToken cancellationToken, TimeSpan? readyWithin = null)
    {
        var ports = Enumerable.Range(0, 5).Select(_ => FreePort()).ToArray();
        var start = ProgramStart.Current();
        foreach (var argument in new[]
                 {
                     "serve", "--listen", "127.0.0.1",
                     "--otlp-grpc-port", ports[0].ToString(CultureInfo.InvariantCulture),
                     "--otlp-http-port", ports[1].ToString(CultureInfo.InvariantCulture),
                     "--zipkin-port", ports[2].ToString(CultureInfo.InvariantCulture),
                     "--api-port", ports[3].ToString(CultureInfo.InvariantCulture),
                     "--tempo-port", ports[4].ToString(CultureInfo.InvariantCulture),
                     "--log-level", "Warning",
                 }.Concat(extraArguments))
        {
            start.ArgumentList.Add(argument);
        }
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the threadline serve process.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("  [serve] " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new ServerProcess(process, ports[0], ports[1], ports[3]);
        await server.WaitUntilReadyAsync(readyWithin ?? TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        return server;
    }

    /// <summary>The server's peak resident memory so far, in bytes (Linux: VmHWM).</summary>
    public long PeakMemoryBytes()
    {
        var status = $"/proc/{_process.Id}/status";
        if (File.Exists(status))
        {
            foreach (var line in File.ReadLines(status))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kilobytes = line["VmHWM:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        _process.Refresh();
        return _process.PeakWorkingSet64;
    }

    /// <summary>
    /// Stops the server as an operator would (SIGTERM), so that it flushes what it holds, and
    /// waits for it to exit; killed after <paramref name="grace"/>. Returns how long it took.
    /// </summary>
    public async Task<TimeSpan> StopAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        if (_process.HasExited) return TimeSpan.Zero;
        // .NET can only SIGKILL a child; kill(1) sends the polite signal.
        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
        {
            if (kill is not null) await kill.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Console.Error.WriteLine($"  threadline serve did not stop within {grace.TotalSeconds:0} s of SIGTERM; killed.");
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        return clock.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync(TimeSpan readyWithin, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"threadline serve exited with code {_process.ExitCode} before it was ready.");
            try
            {
                using var response = await http.GetAsync(new Uri(ApiEndpoint, "/readyz"), cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            if (deadline.Elapsed > readyWithin)
                throw new TimeoutException($"threadline serve did not become ready within {readyWithin.TotalSeconds:0} s.");
            // Short: restart time is measured through this wait.
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
