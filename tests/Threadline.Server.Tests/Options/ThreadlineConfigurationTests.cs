using System.Collections;
using Microsoft.Extensions.Options;
using Threadline.Server.Options;

namespace Threadline.Server.Tests.Options;

public sealed class ThreadlineConfigurationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("threadline-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static readonly Hashtable NoEnvironment = [];
    private static readonly KeyValuePair<string, string?>[] NoFlags = [];

    [Fact]
    public void Defaults_apply_when_nothing_is_configured()
    {
        var options = ThreadlineConfiguration.Load(null, NoEnvironment, NoFlags);

        Assert.Equal("127.0.0.1", options.ListenAddress);
        Assert.Equal(4317, options.Receivers.OtlpGrpcPort);
        Assert.Equal(4318, options.Receivers.OtlpHttpPort);
        Assert.Equal(9411, options.Receivers.ZipkinPort);
        Assert.Equal(16686, options.Api.Port);
        Assert.Equal(16 * 1024 * 1024, options.Receivers.MaxRequestBodyBytes);
        Assert.Equal("memory", options.Storage.Engine);
    }

    [Fact]
    public void Flags_override_environment_which_overrides_the_file()
    {
        var file = WriteFile("""
            { "Threadline": { "ListenAddress": "0.0.0.0", "Receivers": { "OtlpGrpcPort": 1111, "OtlpHttpPort": 2222, "ZipkinPort": 3333 } } }
            """);
        var environment = new Hashtable
        {
            ["THREADLINE_RECEIVERS__OTLPHTTPPORT"] = "4444",
            ["THREADLINE_Receivers__ZipkinPort"] = "5555",
            ["UNRELATED"] = "x",
        };
        KeyValuePair<string, string?>[] flags = [new("Threadline:Receivers:ZipkinPort", "6666")];

        var options = ThreadlineConfiguration.Load(file, environment, flags);

        Assert.Equal("0.0.0.0", options.ListenAddress);
        Assert.Equal(1111, options.Receivers.OtlpGrpcPort);
        Assert.Equal(4444, options.Receivers.OtlpHttpPort);
        Assert.Equal(6666, options.Receivers.ZipkinPort);
    }

    [Fact]
    public void Nested_memory_store_setting_binds_from_the_environment()
    {
        var options = ThreadlineConfiguration.Load(null, new Hashtable { ["THREADLINE_STORAGE__MEMORY__MAXSPANS"] = "5000" }, NoFlags);

        Assert.Equal(5000, options.Storage.Memory.MaxSpans);
    }

    [Fact]
    public void Out_of_range_port_is_reported_by_its_key()
    {
        var error = Assert.Throws<OptionsValidationException>(() =>
            ThreadlineConfiguration.Load(null, NoEnvironment, [new("Threadline:Receivers:OtlpGrpcPort", "70000")]));

        Assert.Contains("Threadline:Receivers:OtlpGrpcPort must be 0-65535 (0 picks a free port), got 70000.", error.Failures);
    }

    [Fact]
    public void Unknown_key_is_reported_instead_of_ignored()
    {
        var error = Assert.Throws<OptionsValidationException>(() =>
            ThreadlineConfiguration.Load(null, new Hashtable { ["THREADLINE_RECEIVERS__OTLPGRPCPROT"] = "1" }, NoFlags));

        Assert.Contains(error.Failures, f => f.Contains("Threadline:RECEIVERS:OTLPGRPCPROT is not a Threadline setting", StringComparison.Ordinal));
    }

    [Fact]
    public void Flat_variables_of_other_tools_sharing_the_prefix_are_ignored_and_flat_settings_still_apply()
    {
        var options = ThreadlineConfiguration.Load(null, new Hashtable
        {
            ["THREADLINE_EXECUTABLE"] = "/usr/local/bin/threadline",
            ["THREADLINE_HOME"] = "/srv/threadline",
            ["THREADLINE_LISTENADDRESS"] = "0.0.0.0",
        }, NoFlags);

        Assert.Equal("0.0.0.0", options.ListenAddress);
    }

    [Fact]
    public void Value_of_the_wrong_type_is_reported_with_its_key()
    {
        var error = Assert.Throws<OptionsValidationException>(() =>
            ThreadlineConfiguration.Load(null, NoEnvironment, [new("Threadline:Api:Port", "eighty")]));

        Assert.Contains(error.Failures, f => f.Contains("Threadline:Api:Port", StringComparison.Ordinal) && f.Contains("eighty", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_file_is_reported_with_its_path()
    {
        var path = Path.Combine(_directory, "absent.json");

        var error = Assert.Throws<OptionsValidationException>(() => ThreadlineConfiguration.Load(path, NoEnvironment, NoFlags));

        Assert.Contains(error.Failures, f => f.Contains(path, StringComparison.Ordinal) && f.Contains("does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public void Invalid_json_file_is_reported()
    {
        var path = WriteFile("{ \"Threadline\": { ");

        var error = Assert.Throws<OptionsValidationException>(() => ThreadlineConfiguration.Load(path, NoEnvironment, NoFlags));

        Assert.Contains(error.Failures, f => f.Contains("not valid JSON", StringComparison.Ordinal));
    }

    private string WriteFile(string json)
    {
        var path = Path.Combine(_directory, "threadline.json");
        File.WriteAllText(path, json);
        return path;
    }
}
