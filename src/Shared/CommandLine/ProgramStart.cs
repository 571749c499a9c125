using System.Diagnostics;
using System.Reflection;

namespace Threadline.CommandLine;

/// <summary>
/// How to start a Threadline program as a child process: its apphost, or its .dll under the
/// <c>dotnet</c> host. <c>threadline</c> starts <c>threadline serve</c> (loadgen) and
/// <c>threadline-demo</c>; <c>threadline-demo</c> starts its own services.
/// </summary>
internal static class ProgramStart
{
    /// <summary>The program running now, started the way it was started (apphost, or <c>dotnet program.dll</c>).</summary>
    /// <exception cref="InvalidOperationException">The running program's path cannot be found out.</exception>
    public static ProcessStartInfo Current()
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this program is unknown.");
        if (!IsDotnetHost(host)) return new ProcessStartInfo(host);
        var entry = Assembly.GetEntryAssembly()?.Location;
        if (string.IsNullOrEmpty(entry)) throw new InvalidOperationException("The entry assembly of this program is unknown.");
        var start = new ProcessStartInfo(host);
        start.ArgumentList.Add(entry);
        return start;
    }

    /// <summary>The program at <paramref name="path"/>: an apphost, or a .dll run by <c>dotnet</c>.</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public static ProcessStartInfo At(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"The program {path} does not exist.", path);
        return path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? UnderDotnet(path) : new ProcessStartInfo(path);
    }

    /// <summary>
    /// The program named <paramref name="assemblyName"/> in this program's own directory, where the
    /// build (and the tool package) put it. Under <c>dotnet</c> (a .NET tool, <c>dotnet run</c>) its .dll
    /// runs on the same host; otherwise its apphost, or its .dll when there is no apphost.
    /// </summary>
    /// <exception cref="FileNotFoundException">Neither is there.</exception>
    public static ProcessStartInfo Beside(string assemblyName)
    {
        var directory = AppContext.BaseDirectory;
        var dll = Path.Combine(directory, assemblyName + ".dll");
        var apphost = Path.Combine(directory, OperatingSystem.IsWindows() ? assemblyName + ".exe" : assemblyName);
        var underDotnet = Environment.ProcessPath is { } host && IsDotnetHost(host);
        if (!underDotnet && File.Exists(apphost)) return new ProcessStartInfo(apphost);
        if (File.Exists(dll)) return UnderDotnet(dll);
        throw new FileNotFoundException($"{assemblyName} is not in {directory}; build the solution (dotnet build) so that it is placed there.", dll);
    }

    private static ProcessStartInfo UnderDotnet(string dll)
    {
        var host = Environment.ProcessPath is { } current && IsDotnetHost(current)
            ? current
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(host);
        start.ArgumentList.Add(dll);
        return start;
    }

    private static bool IsDotnetHost(string path) =>
        Path.GetFileNameWithoutExtension(path).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
}
