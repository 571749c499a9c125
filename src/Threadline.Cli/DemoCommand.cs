using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Threadline.CommandLine;

namespace Threadline.Cli;

/// <summary>
/// <c>threadline demo ...</c>: runs the <c>threadline-demo</c> program, which the build places beside
/// <c>threadline</c>, with the same arguments, and ends with its exit code. The demo is a program of
/// its own so that this one carries neither the SDK nor SQLite.
/// </summary>
internal static class DemoCommand
{
    public const string Name = "demo";

    private const int SigTerm = 15;

    /// <summary>The command as <c>threadline --help</c> lists it; its options are the demo program's.</summary>
    public static Command Create() => new(Name, "Run the checkout demo (the threadline-demo program): services on 127.0.0.1 traced with Threadline.Sdk, with steady traffic. `threadline demo --help` lists its options.");

    public static async Task<int> RunAsync(IReadOnlyList<string> arguments, InvocationConfiguration invocation)
    {
        Process process;
        try
        {
            var start = DemoProgram.StartInfo();
            foreach (var argument in arguments) start.ArgumentList.Add(argument);
            // So that its usage errors name `threadline demo`, the command the user typed (the demo
            // program reads this variable; the name is its contract, not a shared constant).
            start.Environment["THREADLINE_DEMO_INVOKED_AS"] = $"{ThreadlineCli.ProgramName} {Name}";
            process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        }
        catch (Exception exception) when (exception is FileNotFoundException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            await invocation.Error.WriteLineAsync($"{ThreadlineCli.ProgramName} {Name}: {exception.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        using (process)
        {
            // Ctrl+C reaches the demo as well (it is in this terminal's process group) and it stops
            // itself, exporting its last spans: stay until it has. A SIGTERM sent to this process
            // alone is passed on, so that `kill` stops both.
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = true);
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                Terminate(process);
            });
            await process.WaitForExitAsync().ConfigureAwait(false);
            return process.ExitCode;
        }
    }

    private static void Terminate(Process process)
    {
        if (OperatingSystem.IsWindows()) process.Kill(entireProcessTree: true);
        else _ = NativeMethods.Kill(process.Id, SigTerm);
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Kill(int processId, int signal);
    }
}
