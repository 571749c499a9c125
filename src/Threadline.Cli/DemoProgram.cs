using System.Diagnostics;
using Threadline.CommandLine;

namespace Threadline.Cli;

/// <summary>
/// The <c>threadline-demo</c> program beside this one (copied there by the build, and packed with
/// the tool). <c>serve --demo</c> runs it supervised: closing its standard input stops it.
/// </summary>
internal sealed class DemoProgram : IAsyncDisposable
{
    public const string AssemblyName = "threadline-demo";

    // The demo gives its services 15 s to export their last spans; then it needs a moment itself.
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    private readonly Process _process;
    private int _stopping;

    private DemoProgram(Process process)
    {
        _process = process;
        Exited = process.WaitForExitAsync();
    }

    /// <summary>Completes when the demo program has exited, for whatever reason.</summary>
    public Task Exited { get; }

    public int ExitCode => _process.ExitCode;

    /// <summary>True once <see cref="DisposeAsync"/> has begun: an exit after that was asked for.</summary>
    public bool Stopping => Volatile.Read(ref _stopping) == 1;

    /// <exception cref="FileNotFoundException">threadline-demo is not beside this program.</exception>
    public static ProcessStartInfo StartInfo() => ProgramStart.Beside(AssemblyName);

    /// <summary>Starts the demo exporting to <paramref name="otlpEndpoint"/>; its output goes to this program's.</summary>
    public static DemoProgram StartSupervised(Uri otlpEndpoint)
    {
        var start = StartInfo();
        foreach (var argument in new[] { "--otlp-endpoint", otlpEndpoint.ToString(), "--supervised" }) start.ArgumentList.Add(argument);
        start.RedirectStandardInput = true;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        return new DemoProgram(process);
    }

    /// <summary>Asks the demo to stop (it exports its last spans first); kills it if it has not after a while.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopping, 1) == 1) return;
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Already gone.
        }
        try
        {
            await Exited.WaitAsync(StopTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
            await Exited.ConfigureAwait(false);
        }
        _process.Dispose();
    }
}
