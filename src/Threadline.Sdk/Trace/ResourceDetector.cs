using System.Reflection;
using System.Runtime.InteropServices;

namespace Threadline.Sdk;

/// <summary>Builds the process's <see cref="ServiceResource"/>: what is detected, then what the options say.</summary>
internal static class ResourceDetector
{
    // One id per process, so that several sessions in one process report one instance.
    private static readonly string InstanceId = Guid.NewGuid().ToString();

    public static string SdkVersion { get; } =
        typeof(ResourceDetector).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(ResourceDetector).Assembly.GetName().Version?.ToString()
        ?? "0.0.0";

    public static ServiceResource Build(TracingOptions options)
    {
        var executable = ExecutableName();
        var attributes = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["service.name"] = "unknown_service:" + executable,
            ["service.instance.id"] = InstanceId,
            ["host.name"] = Environment.MachineName,
            ["host.arch"] = HostArchitecture(),
            ["os.type"] = OsType(),
            ["process.pid"] = (long)Environment.ProcessId,
            ["process.executable.name"] = executable,
            ["process.runtime.name"] = ".NET",
            ["process.runtime.version"] = Environment.Version.ToString(),
            ["process.runtime.description"] = RuntimeInformation.FrameworkDescription,
            ["telemetry.sdk.name"] = "threadline",
            ["telemetry.sdk.language"] = "dotnet",
            ["telemetry.sdk.version"] = SdkVersion,
        };
        foreach (var (key, value) in options.ResourceAttributes) attributes[key] = value;
        if (!string.IsNullOrWhiteSpace(options.ServiceName)) attributes["service.name"] = options.ServiceName;
        if (!string.IsNullOrWhiteSpace(options.ServiceVersion)) attributes["service.version"] = options.ServiceVersion;
        if (!string.IsNullOrWhiteSpace(options.DeploymentEnvironment)) attributes["deployment.environment.name"] = options.DeploymentEnvironment;

        var list = new List<KeyValuePair<string, object?>>(attributes.Count);
        foreach (var (key, value) in attributes) list.Add(new(key, value));
        return new ServiceResource(list);
    }

    private static string ExecutableName()
    {
        var path = Environment.ProcessPath;
        var name = string.IsNullOrEmpty(path) ? null : Path.GetFileName(path);
        if (string.IsNullOrEmpty(name))
        {
            using var process = System.Diagnostics.Process.GetCurrentProcess();
            name = process.ProcessName;
        }
        return name;
    }

    /// <summary>The semantic-convention value of host.arch.</summary>
    private static string HostArchitecture() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.X86 => "x86",
        Architecture.Arm => "arm32",
        Architecture.Arm64 => "arm64",
        Architecture.S390x => "s390x",
        Architecture.Ppc64le => "ppc64",
        var other => other.ToString().ToLowerInvariant(),
    };

    /// <summary>The semantic-convention value of os.type.</summary>
    private static string OsType()
    {
        if (OperatingSystem.IsWindows()) return "windows";
        if (OperatingSystem.IsLinux()) return "linux";
        if (OperatingSystem.IsMacOS() || OperatingSystem.IsIOS() || OperatingSystem.IsTvOS()) return "darwin";
        if (OperatingSystem.IsFreeBSD()) return "freebsd";
        return RuntimeInformation.OSDescription.Split(' ')[0].ToLowerInvariant();
    }
}
