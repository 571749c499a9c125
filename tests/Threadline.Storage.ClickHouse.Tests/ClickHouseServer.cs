using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Threadline.Storage.ClickHouse.Tests;

/// <summary>
/// A clickhouse-server (Debian's package, installed by scripts/ensure-clickhouse.sh) run as a
/// plain child process with its own configuration, data directory under a temporary folder and
/// free loopback ports; never the system-wide service. Optionally one of the shards of a
/// cluster named <see cref="ClusterName"/>. Starting throws, with the server's own words, when it
/// cannot start, so that the tests fail rather than pass without a server.
/// </summary>
internal sealed class ClickHouseServer : IAsyncDisposable
{
    public const string ClusterName = "threadline_test";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string _directory;
    private readonly string _configFile;
    private Process? _process;

    private ClickHouseServer(string directory, int httpPort, int tcpPort)
    {
        _directory = directory;
        _configFile = Path.Combine(directory, "config.xml");
        HttpPort = httpPort;
        TcpPort = tcpPort;
    }

    public int HttpPort { get; }
    public int TcpPort { get; }
    public Uri Url => new($"http://127.0.0.1:{HttpPort}");

    /// <summary>Starts one server, the only shard of its test cluster.</summary>
    public static async Task<ClickHouseServer> LaunchAsync()
    {
        var server = Create();
        await server.StartAsync();
        return server;
    }

    /// <summary>Two servers as the two shards of <see cref="ClusterName"/>.</summary>
    public static async Task<(ClickHouseServer First, ClickHouseServer Second)> LaunchClusterAsync()
    {
        var first = Create();
        var second = Create();
        int[] shards = [first.TcpPort, second.TcpPort];
        first.WriteConfig(shards);
        second.WriteConfig(shards);
        try
        {
            await Task.WhenAll(first.StartAsync(), second.StartAsync());
        }
        catch
        {
            await first.DisposeAsync();
            await second.DisposeAsync();
            throw;
        }
        return (first, second);
    }

    /// <summary>Stops the server (SIGKILL, as a crash) but keeps its data for <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    /// <summary>Starts the server again on the same ports and data, and waits until it answers.</summary>
    public async Task StartAsync()
    {
        if (_process is not null) return;
        var executable = File.Exists("/usr/bin/clickhouse") ? "/usr/bin/clickhouse" : "clickhouse-server";
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        if (executable.EndsWith("/clickhouse", StringComparison.Ordinal)) start.ArgumentList.Add("server");
        start.ArgumentList.Add("--config-file=" + _configFile);
        var output = new StringBuilder();
        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException("Process.Start returned null.");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new InvalidOperationException(
                $"clickhouse-server could not be started ({e.Message}). Run scripts/ensure-clickhouse.sh (as root) to install Debian's clickhouse-server.", e);
        }
        _process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"clickhouse-server exited with code {_process.ExitCode} while starting:\n{output}\n{ErrorLog()}");
            }
            try
            {
                using var response = await http.GetAsync(new Uri(Url, "/?query=SELECT%201"));
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening but not answering yet.
            }
            if (deadline.Elapsed > StartTimeout)
            {
                await StopAsync();
                throw new TimeoutException($"clickhouse-server did not answer on {Url} within {StartTimeout.TotalSeconds} s:\n{output}\n{ErrorLog()}");
            }
            // Polling the port is the only readiness signal the server gives.
            await Task.Delay(100);
        }
    }

    /// <summary>Runs a statement through the HTTP interface and returns the answer text.</summary>
    public async Task<string> QueryAsync(string sql)
    {
        using var http = new HttpClient();
        using var content = new StringContent(sql);
        using var response = await http.PostAsync(Url, content);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"ClickHouse refused '{sql}': {text}");
        return text;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp folder is cleaned by the system.
        }
    }

    private static ClickHouseServer Create()
    {
        var directory = Path.Combine(Path.GetTempPath(), "threadline-clickhouse-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var server = new ClickHouseServer(directory, FreePort(), FreePort());
        server.WriteConfig([server.TcpPort]);
        return server;
    }

    private void WriteConfig(IReadOnlyList<int> shardTcpPorts)
    {
        var shards = string.Concat(shardTcpPorts.Select(port =>
            $"<shard><replica><host>127.0.0.1</host><port>{port}</port></replica></shard>"));
        File.WriteAllText(_configFile, $"""
            <?xml version="1.0"?>
            <yandex>
              <logger><level>warning</level><log>{_directory}/server.log</log><errorlog>{_directory}/server.err.log</errorlog></logger>
              <http_port>{HttpPort}</http_port>
              <tcp_port>{TcpPort}</tcp_port>
              <listen_host>127.0.0.1</listen_host>
              <path>{_directory}/data/</path>
              <tmp_path>{_directory}/tmp/</tmp_path>
              <user_files_path>{_directory}/user_files/</user_files_path>
              <format_schema_path>{_directory}/format_schemas/</format_schema_path>
              <users_config>{_directory}/users.xml</users_config>
              <default_profile>default</default_profile>
              <default_database>default</default_database>
              <mark_cache_size>268435456</mark_cache_size>
              <uncompressed_cache_size>268435456</uncompressed_cache_size>
              <max_concurrent_queries>100</max_concurrent_queries>
              <remote_servers><{ClusterName}>{shards}</{ClusterName}></remote_servers>
            </yandex>
            """);
        File.WriteAllText(Path.Combine(_directory, "users.xml"), """
            <?xml version="1.0"?>
            <yandex>
              <profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
              <users><default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></default></users>
              <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
            </yandex>
            """);
    }

    private string ErrorLog()
    {
        var path = Path.Combine(_directory, "server.err.log");
        if (!File.Exists(path)) return "";
        var lines = File.ReadAllLines(path);
        return string.Join('\n', lines.TakeLast(20));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
