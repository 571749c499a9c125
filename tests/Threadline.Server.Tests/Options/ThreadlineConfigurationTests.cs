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
        Assert.Equal("embedded", options.Storage.Engine);
        Assert.Equal("./data", options.Storage.Embedded.DataDirectory);
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

    [Fact]
    public void Json_syntax_error_names_the_line_and_column()
    {
        // Line 3 lacks a comma before "x", the 28th character on it.
        var path = WriteFile("{\n  \"Threadline\": {\n    \"Api\": { \"Port\": 16686 \"x\": 1 }\n  }\n}\n");

        var error = Assert.Throws<OptionsValidationException>(() => ThreadlineConfiguration.Load(path, NoEnvironment, NoFlags));

        var failure = Assert.Single(error.Failures);
        Assert.Contains(path, failure, StringComparison.Ordinal);
        Assert.Contains("not valid JSON at line 3, column 28", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void File_without_a_Threadline_section_is_an_error_not_ignored()
    {
        var path = WriteFile("""{ "Api": { "Port": 1234 } }""");

        var error = Assert.Throws<OptionsValidationException>(() => ThreadlineConfiguration.Load(path, NoEnvironment, NoFlags));

        var failure = Assert.Single(error.Failures);
        Assert.Contains(path, failure, StringComparison.Ordinal);
        Assert.Contains("has no \"Threadline\" section", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Directory_given_as_the_file_says_so()
    {
        var error = Assert.Throws<OptionsValidationException>(() => ThreadlineConfiguration.Load(_directory, NoEnvironment, NoFlags));

        var failure = Assert.Single(error.Failures);
        Assert.Contains($"'{_directory}' is a directory", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Type_error_is_reported_together_with_every_other_error()
    {
        var path = WriteFile("""
            { "Threadline": { "Ingest": { "Workers": "zero", "MaxQueuedSpans": 0 }, "Api": { "Port": 70000 }, "Receivers": { "ZipkinPrt": 1 } } }
            """);

        var error = Assert.Throws<OptionsValidationException>(() => ThreadlineConfiguration.Load(path, NoEnvironment, [new("Threadline:Receivers:OtlpHttpPort", "http")]));

        Assert.Equal(
            [
                "Threadline:Api:Port must be 0-65535 (0 picks a free port), got 70000.",
                "Threadline:Ingest:MaxQueuedSpans must be between 1 and 100000000, got 0.",
                "Threadline:Ingest:Workers must be a whole number, got 'zero'.",
                "Threadline:Receivers:OtlpHttpPort must be a whole number, got 'http'.",
                "Threadline:Receivers:ZipkinPrt is not a Threadline setting; see docs/configuration.md for the settings there are.",
            ],
            error.Failures.Order(StringComparer.Ordinal));
    }

    private string WriteFile(string json)
    {
        var path = Path.Combine(_directory, "threadline.json");
        File.WriteAllText(path, json);
        return path;
    }
}
