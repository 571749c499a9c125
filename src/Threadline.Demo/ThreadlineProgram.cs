using System.Diagnostics;
using System.Reflection;

namespace Threadline.Demo;

/// <summary>
/// How to start the <c>threadline</c> program as a child process: the demo runs its services
/// with it, and <c>threadline loadgen</c> runs the servers it measures.
/// </summary>
public static class ThreadlineProgram
{
    /// <summary>
    /// A start description for the given program (an apphost, or a .dll run by <c>dotnet</c>), or,
    /// when <paramref name="executablePath"/> is null, for the program running now, started the
    /// way it was started (apphost, or <c>dotnet threadline.dll</c>).
    /// </summary>
    /// <exception cref="FileNotFoundException">The given program does not exist.</exception>
    /// <exception cref="InvalidOperationException">The running program's path cannot be found out.</exception>
    public static ProcessStartInfo StartInfo(string? executablePath = null)
    {
        if (executablePath is not null)
        {
            if (!File.Exists(executablePath))
                throw new FileNotFoundException($"The threadline program was not found at {executablePath}.", executablePath);
            return executablePath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
                ? DotnetRunning(executablePath)
                : new ProcessStartInfo(executablePath);
        }
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this program is unknown; give the threadline program's path explicitly.");
        if (!Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase)) return new ProcessStartInfo(host);
        // Started as `dotnet threadline.dll`: run the same assembly the same way.
        var entry = Assembly.GetEntryAssembly()?.Location;
        if (string.IsNullOrEmpty(entry)) throw new InvalidOperationException("The entry assembly of this program is unknown; give the threadline program's path explicitly.");
        var start = new ProcessStartInfo(host);
        start.ArgumentList.Add(entry);
        return start;
    }

    private static ProcessStartInfo DotnetRunning(string assembly)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet");
        start.ArgumentList.Add(assembly);
        return start;
    }
}
