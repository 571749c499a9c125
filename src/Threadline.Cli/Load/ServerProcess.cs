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
    public static async Task<ServerProcess> StartAsync(IEnumerable<string> extraArguments, CancellationToken cancellationToken)
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
        await server.WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);
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

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
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
            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
                throw new TimeoutException("threadline serve did not become ready within 60 s.");
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
