using System.Reflection;

namespace Threadline.IntegrationTests;

/// <summary>
/// The built <c>threadline-demo</c> program, which the demo runs its services with: THREADLINE_DEMO_EXECUTABLE
/// when set, else the demo project's build output for this test run's configuration (this project
/// references the demo project, so building the tests builds it).
/// </summary>
internal static class DemoProgram
{
    public const string EnvironmentVariable = "THREADLINE_DEMO_EXECUTABLE";

    public static string Locate()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured)) return configured;

        var configuration = typeof(DemoProgram).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var program = Path.Combine(RepositoryRoot(), "src", "Threadline.Demo", "bin", configuration, "net10.0", OperatingSystem.IsWindows() ? "threadline-demo.exe" : "threadline-demo");
        if (!File.Exists(program))
        {
            throw new InvalidOperationException(
                $"The threadline-demo program is not at {program}. Build it (dotnet build src/Threadline.Demo -c {configuration}) or set {EnvironmentVariable}.");
        }
        return program;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Threadline.slnx"))) return directory.FullName;
        }
        throw new InvalidOperationException($"No Threadline.slnx above {AppContext.BaseDirectory}; set {EnvironmentVariable} to the threadline-demo program.");
    }
}
