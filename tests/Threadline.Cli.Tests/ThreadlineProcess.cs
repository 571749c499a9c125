using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace Threadline.Cli.Tests;

/// <summary>
/// The built <c>threadline</c> program run as a child process, as a user runs it: its output read
/// line by line, so a test waits for the line it expects instead of sleeping.
/// </summary>
internal sealed class ThreadlineProcess : IAsyncDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly Channel<string> _output = Channel.CreateUnbounded<string>();
    private readonly Channel<string> _error = Channel.CreateUnbounded<string>();
    private readonly List<string> _seen = [];

    private ThreadlineProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Receive(_output, e.Data);
        _process.ErrorDataReceived += (_, e) => Receive(_error, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Every line read so far, standard output and error, for a failure message.</summary>
    public string Transcript
    {
        get
        {
            lock (_seen) return string.Join(Environment.NewLine, _seen);
        }
    }

    public Process Process => _process;

    public static ThreadlineProcess Start(params string[] arguments)
    {
        var start = new ProcessStartInfo(Locate())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return new ThreadlineProcess(Process.Start(start)!);
    }

    /// <summary>Runs the program to its end; its exit code and everything it wrote.</summary>
    public static Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments) => RunAsync(DefaultTimeout, arguments);

    /// <inheritdoc cref="RunAsync(string[])"/>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(TimeSpan timeout, params string[] arguments)
    {
        await using var program = Start(arguments);
        using var deadline = new CancellationTokenSource(timeout);
        await program._process.WaitForExitAsync(deadline.Token);
        return (program._process.ExitCode, Drain(program._output), Drain(program._error));
    }

    /// <summary>The first standard output line that <paramref name="match"/> accepts.</summary>
    public Task<string> WaitForOutputAsync(Func<string, bool> match, TimeSpan? timeout = null) => WaitForAsync(_output, match, timeout);

    /// <summary>The first standard error line that <paramref name="match"/> accepts.</summary>
    public Task<string> WaitForErrorAsync(Func<string, bool> match, TimeSpan? timeout = null) => WaitForAsync(_error, match, timeout);

    /// <summary>Sends SIGTERM, as a service manager or <c>kill</c> does.</summary>
    public void Terminate() => Assert.Equal(0, Kill(_process.Id, 15));

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private async Task<string> WaitForAsync(Channel<string> lines, Func<string, bool> match, TimeSpan? timeout)
    {
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            while (await lines.Reader.WaitToReadAsync(deadline.Token))
            {
                while (lines.Reader.TryRead(out var line))
                {
                    if (match(line)) return line;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The line waited for did not come. threadline wrote:{Environment.NewLine}{Transcript}");
        }
        throw new InvalidOperationException($"threadline ended without writing the line waited for:{Environment.NewLine}{Transcript}");
    }

    private void Receive(Channel<string> lines, string? line)
    {
        if (line is null)
        {
            lines.Writer.TryComplete();
            return;
        }
        lock (_seen) _seen.Add(line);
        lines.Writer.TryWrite(line);
    }

    private static string Drain(Channel<string> lines)
    {
        var text = new List<string>();
        while (lines.Reader.TryRead(out var line)) text.Add(line);
        return string.Join('\n', text);
    }

    private static string Locate()
    {
        var configuration = typeof(ThreadlineProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var program = Path.Combine(RepositoryRoot(), "src", "Threadline.Cli", "bin", configuration, "net10.0", OperatingSystem.IsWindows() ? "threadline.exe" : "threadline");
        if (!File.Exists(program)) throw new InvalidOperationException($"The threadline program is not at {program}; build src/Threadline.Cli -c {configuration}.");
        return program;
    }

    /// <summary>The clone this test runs in: the folder with Threadline.slnx above the test's output.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Threadline.slnx"))) return directory.FullName;
        }
        throw new InvalidOperationException($"No Threadline.slnx above {AppContext.BaseDirectory}.");
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int processId, int signal);
}
