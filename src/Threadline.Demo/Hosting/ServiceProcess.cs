using System.Diagnostics;
using Threadline.CommandLine;

namespace Threadline.Demo.Hosting;

/// <summary>
/// The launcher's side of one service: a <c>threadline-demo service NAME --supervised</c> child process,
/// the handshake with it, and stopping it (close its standard input; kill its tree if it does not exit in time).
/// </summary>
internal sealed class ServiceProcess
{
    private const int RememberedErrorLines = 20;

    private readonly Process _process;
    private readonly TextWriter _log;
    private readonly ExportFailureLog _exportFailures;
    private readonly Queue<string> _recentErrors = new();
    private readonly TaskCompletionSource<IReadOnlyDictionary<string, Uri>> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _exited;

    private ServiceProcess(string name, Process process, TextWriter log, ExportFailureLog exportFailures)
    {
        Name = name;
        _process = process;
        _log = log;
        _exportFailures = exportFailures;
        Id = process.Id;
        _process.OutputDataReceived += (_, e) => OnOutput(e.Data);
        _process.ErrorDataReceived += (_, e) => OnError(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _exited = WatchExitAsync();
    }

    public string Name { get; }

    public int Id { get; }

    /// <summary>The endpoints the service bound, once it says so.</summary>
    public Task<IReadOnlyDictionary<string, Uri>> Listening => _listening.Task;

    /// <summary>Completes once the service has its peers and takes requests.</summary>
    public Task Ready => _ready.Task;

    public bool HasExited => _exited.IsCompleted;

    public static ServiceProcess Start(string name, DemoOptions options, TextWriter log, ExportFailureLog exportFailures)
    {
        // The services are this same program (threadline-demo service NAME), unless told where it is.
        var start = options.ExecutablePath is null ? ProgramStart.Current() : ProgramStart.At(options.ExecutablePath);
        foreach (var argument in DemoServiceCommandLine.SupervisedArguments(name, options.OtlpEndpoint, options.OtlpProtocol))
            start.ArgumentList.Add(argument);
        start.UseShellExecute = false;
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        // Six small services share the machine: workstation GC keeps each one's heap small.
        start.Environment["DOTNET_gcServer"] = "0";
        var process = Process.Start(start)
            ?? throw new InvalidOperationException($"Could not start {start.FileName} for {name}.");
        return new ServiceProcess(name, process, log, exportFailures);
    }

    /// <summary>Tells the service where everyone is.</summary>
    public async Task SendPeersAsync(IReadOnlyDictionary<string, Uri> peers, CancellationToken cancellationToken)
    {
        var line = SupervisorMessage.Peers(Name, peers).Format();
        await _process.StandardInput.WriteLineAsync(line.AsMemory(), cancellationToken).ConfigureAwait(false);
        await _process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Closes the service's standard input, its signal to stop gracefully and export its spans, and
    /// waits for it to exit; after <paramref name="timeout"/> kills it with any children it has.
    /// </summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Already gone: the pipe is broken.
        }
        try
        {
            await _exited.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await _log.WriteLineAsync($"[{Name}] did not stop within {timeout.TotalSeconds:0} s; killing it.").ConfigureAwait(false);
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited between the timeout and the kill.
            }
            await _exited.ConfigureAwait(false);
        }
        _process.Dispose();
    }

    /// <summary>The last lines the service wrote to standard error, for start-up failure messages.</summary>
    public string RecentErrors()
    {
        lock (_recentErrors) return string.Join(Environment.NewLine, _recentErrors);
    }

    private async Task WatchExitAsync()
    {
        // Also waits until both output streams reach their end, so no line is lost.
        await _process.WaitForExitAsync().ConfigureAwait(false);
        var failure = new InvalidOperationException(
            $"{Name} exited with code {_process.ExitCode} before it was ready.{Environment.NewLine}{RecentErrors()}");
        _listening.TrySetException(failure);
        _ready.TrySetException(failure);
    }

    private void OnOutput(string? line)
    {
        if (line is null) return;
        if (!SupervisorMessage.TryParse(line, out var message))
        {
            _log.WriteLine($"[{Name}] {line}");
            return;
        }
        switch (message.Type)
        {
            case SupervisorMessage.ListeningType:
                _listening.TrySetResult(message.Endpoints ?? []);
                break;
            case SupervisorMessage.ReadyType:
                _ready.TrySetResult();
                break;
            case SupervisorMessage.ExportFailedType:
                _exportFailures.Report(Name, message.Detail ?? "an export failed");
                break;
        }
    }

    private void OnError(string? line)
    {
        if (line is null) return;
        lock (_recentErrors)
        {
            _recentErrors.Enqueue(line);
            if (_recentErrors.Count > RememberedErrorLines) _recentErrors.Dequeue();
        }
        _log.WriteLine($"[{Name}] {line}");
    }
}
