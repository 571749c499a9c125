using System.Reflection;

namespace Threadline.IntegrationTests;

/// <summary>
/// The built <c>threadline</c> program, which the demo runs its services with: THREADLINE_EXECUTABLE
/// when set, else the CLI's build output for this test run's configuration (this project references
/// the CLI project, without using its assembly, so that building the tests builds it).
/// </summary>
internal static class ThreadlineProgram
{
    public const string EnvironmentVariable = "THREADLINE_EXECUTABLE";

    public static string Locate()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured)) return configured;

        var configuration = typeof(ThreadlineProgram).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var repository = RepositoryRoot();
        var program = Path.Combine(repository, "src", "Threadline.Cli", "bin", configuration, "net10.0", OperatingSystem.IsWindows() ? "threadline.exe" : "threadline");
        if (!File.Exists(program))
        {
            throw new InvalidOperationException(
                $"The threadline program is not at {program}. Build it (dotnet build src/Threadline.Cli -c {configuration}) or set {EnvironmentVariable}.");
        }
        return program;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Threadline.slnx"))) return directory.FullName;
        }
        throw new InvalidOperationException($"No Threadline.slnx above {AppContext.BaseDirectory}; set {EnvironmentVariable} to the threadline program.");
    }
}
