using Threadline.Sdk.Export.Otlp;

namespace Threadline.Sdk.Tests.Export;

public sealed class OtlpExporterOptionsTests
{
    private static OtlpExporterOptions FromEnvironment(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value);
        return OtlpExporterOptions.FromEnvironment(name => map.TryGetValue(name, out var value) ? value : null);
    }

    [Fact]
    public void Defaults_are_grpc_to_localhost_4317_with_retries_on()
    {
        var options = new OtlpExporterOptions();

        Assert.Equal(OtlpExportProtocol.Grpc, options.Protocol);
        Assert.Equal(new Uri("http://localhost:4317"), options.ResolveEndpoint());
        Assert.Equal(TimeSpan.FromSeconds(10), options.Timeout);
        Assert.Equal(OtlpCompression.None, options.Compression);
        Assert.Empty(options.Headers);
        Assert.Null(options.TrustedCertificatePath);
        Assert.Null(options.ClientCertificatePath);
        Assert.Null(options.ClientKeyPath);
        Assert.Equal(5, options.Retry.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(1), options.Retry.InitialBackoff);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Retry.MaxBackoff);
        Assert.Equal(1.5, options.Retry.BackoffMultiplier);
        Assert.InRange(options.Retry.Jitter, 0.01, 1);
    }

    [Theory]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    [InlineData(OtlpExportProtocol.HttpJson)]
    public void Http_protocols_default_to_localhost_4318_v1_traces(OtlpExportProtocol protocol)
    {
        var options = new OtlpExporterOptions { Protocol = protocol };

        Assert.Equal(new Uri("http://localhost:4318/v1/traces"), options.ResolveEndpoint());
    }

    [Theory]
    [InlineData("http://collector:4318", "http://collector:4318/v1/traces")]
    [InlineData("http://collector:4318/", "http://collector:4318/v1/traces")]
    [InlineData("http://collector:4318/custom/path", "http://collector:4318/custom/path")]
    [InlineData("https://collector/v1/traces", "https://collector/v1/traces")]
    public void Http_endpoint_set_in_code_is_used_as_is_unless_it_has_no_path(string endpoint, string expected)
    {
        var options = new OtlpExporterOptions { Protocol = OtlpExportProtocol.HttpProtobuf, Endpoint = new Uri(endpoint) };

        Assert.Equal(new Uri(expected), options.ResolveEndpoint());
    }

    [Theory]
    [InlineData("http/protobuf", "http://collector:4318", "http://collector:4318/v1/traces")]
    [InlineData("http/json", "http://collector:4318/prefix", "http://collector:4318/prefix/v1/traces")]
    [InlineData("http/protobuf", "http://collector:4318/prefix/", "http://collector:4318/prefix/v1/traces")]
    [InlineData("grpc", "http://collector:4317", "http://collector:4317/")]
    public void Base_endpoint_gets_the_traces_path_for_http_protocols(string protocol, string endpoint, string expected)
    {
        var options = FromEnvironment(("OTEL_EXPORTER_OTLP_PROTOCOL", protocol), ("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint));

        Assert.Equal(new Uri(expected), options.ResolveEndpoint());
        Assert.Empty(options.ConfigurationWarnings);
    }

    [Fact]
    public void Traces_endpoint_is_used_as_is_and_wins_over_the_base_endpoint()
    {
        var options = FromEnvironment(
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://base:4318"),
            ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://traces:9999/ingest"));

        Assert.Equal(new Uri("http://traces:9999/ingest"), options.ResolveEndpoint());
    }

    [Fact]
    public void Endpoint_set_in_code_after_reading_the_environment_is_no_longer_a_base()
    {
        var options = FromEnvironment(("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"), ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://base:4318/p"));
        options.Endpoint = new Uri("http://other:4318/p");

        Assert.Equal(new Uri("http://other:4318/p"), options.ResolveEndpoint());
    }

    [Theory]
    [InlineData("grpc", OtlpExportProtocol.Grpc)]
    [InlineData("http/protobuf", OtlpExportProtocol.HttpProtobuf)]
    [InlineData("http/json", OtlpExportProtocol.HttpJson)]
    [InlineData(" HTTP/JSON ", OtlpExportProtocol.HttpJson)]
    public void Protocol_is_read_from_the_environment(string value, OtlpExportProtocol expected)
    {
        Assert.Equal(expected, FromEnvironment(("OTEL_EXPORTER_OTLP_PROTOCOL", value)).Protocol);
        Assert.Equal(expected, FromEnvironment(("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", value)).Protocol);
    }

    [Fact]
    public void Traces_protocol_wins_over_the_general_one()
    {
        var options = FromEnvironment(("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"), ("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/json"));

        Assert.Equal(OtlpExportProtocol.HttpJson, options.Protocol);
    }

    [Fact]
    public void Invalid_traces_protocol_is_reported_and_the_general_one_applies()
    {
        var options = FromEnvironment(("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"), ("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "carrier-pigeon"));

        Assert.Equal(OtlpExportProtocol.HttpProtobuf, options.Protocol);
        var warning = Assert.Single(options.ConfigurationWarnings);
        Assert.Contains("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL='carrier-pigeon'", warning, StringComparison.Ordinal);
        Assert.Contains("grpc, http/protobuf or http/json", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_protocol_keeps_the_default()
    {
        var options = FromEnvironment(("OTEL_EXPORTER_OTLP_PROTOCOL", "udp"));

        Assert.Equal(OtlpExportProtocol.Grpc, options.Protocol);
        Assert.Single(options.ConfigurationWarnings);
    }

    [Fact]
    public void Headers_are_parsed_trimmed_and_percent_decoded()
    {
        var options = FromEnvironment(("OTEL_EXPORTER_OTLP_HEADERS", " api-key = secret%20value ,x-tenant=acme%2Cinc,empty="));

        Assert.Equal("secret value", options.Headers["api-key"]);
        Assert.Equal("acme,inc", options.Headers["X-Tenant"]);
        Assert.Equal("", options.Headers["empty"]);
        Assert.Equal(3, options.Headers.Count);
        Assert.Empty(options.ConfigurationWarnings);
    }

    [Fact]
    public void Traces_headers_replace_the_general_headers()
    {
        var options = FromEnvironment(("OTEL_EXPORTER_OTLP_HEADERS", "a=1,b=2"), ("OTEL_EXPORTER_OTLP_TRACES_HEADERS", "c=3"));

        Assert.Equal("3", Assert.Single(options.Headers).Value);
    }

    [Fact]
    public void Malformed_header_entries_are_skipped_without_echoing_them()
    {
        var options = FromEnvironment(("OTEL_EXPORTER_OTLP_HEADERS", "good=1,no-equals-sign-secret,=orphan,bad name=2"));

        Assert.Equal("1", Assert.Single(options.Headers).Value);
        Assert.Equal(3, options.ConfigurationWarnings.Count);
        Assert.All(options.ConfigurationWarnings, w => Assert.DoesNotContain("secret", w, StringComparison.Ordinal));
        Assert.Contains("entry 2", options.ConfigurationWarnings[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Traces_headers_with_nothing_valid_fall_back_to_the_general_headers()
    {
        var options = FromEnvironment(("OTEL_EXPORTER_OTLP_HEADERS", "a=1"), ("OTEL_EXPORTER_OTLP_TRACES_HEADERS", "garbage"));

        Assert.Equal("1", options.Headers["a"]);
        Assert.Contains(options.ConfigurationWarnings, w => w.StartsWith("OTEL_EXPORTER_OTLP_TRACES_HEADERS was ignored", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_TIMEOUT")]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT")]
    public void Timeout_is_read_in_milliseconds(string variable)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(2500), FromEnvironment((variable, "2500")).Timeout);
    }

    [Fact]
    public void Timeout_of_zero_means_no_limit()
    {
        Assert.Equal(Timeout.InfiniteTimeSpan, FromEnvironment(("OTEL_EXPORTER_OTLP_TIMEOUT", "0")).Timeout);
    }

    [Fact]
    public void Traces_timeout_wins_over_the_general_one()
    {
        var options = FromEnvironment(("OTEL_EXPORTER_OTLP_TIMEOUT", "1000"), ("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "3000"));

        Assert.Equal(TimeSpan.FromSeconds(3), options.Timeout);
    }

    [Theory]
    [InlineData("10s")]
    [InlineData("-5")]
    [InlineData("1.5")]
    [InlineData("99999999999")]
    public void Invalid_timeout_is_reported_and_ignored(string value)
    {
        var options = FromEnvironment(("OTEL_EXPORTER_OTLP_TIMEOUT", value));

        Assert.Equal(TimeSpan.FromSeconds(10), options.Timeout);
        Assert.Contains("OTEL_EXPORTER_OTLP_TIMEOUT", Assert.Single(options.ConfigurationWarnings), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gzip", OtlpCompression.Gzip)]
    [InlineData("GZIP", OtlpCompression.Gzip)]
    [InlineData("none", OtlpCompression.None)]
    public void Compression_is_read_from_the_environment(string value, OtlpCompression expected)
    {
        Assert.Equal(expected, FromEnvironment(("OTEL_EXPORTER_OTLP_COMPRESSION", value)).Compression);
        Assert.Equal(expected, FromEnvironment(("OTEL_EXPORTER_OTLP_TRACES_COMPRESSION", value)).Compression);
    }

    [Fact]
    public void Traces_compression_wins_and_invalid_compression_is_ignored()
    {
        Assert.Equal(OtlpCompression.None, FromEnvironment(("OTEL_EXPORTER_OTLP_COMPRESSION", "gzip"), ("OTEL_EXPORTER_OTLP_TRACES_COMPRESSION", "none")).Compression);

        var invalid = FromEnvironment(("OTEL_EXPORTER_OTLP_COMPRESSION", "brotli"));
        Assert.Equal(OtlpCompression.None, invalid.Compression);
        Assert.Contains("expected gzip or none", Assert.Single(invalid.ConfigurationWarnings), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("collector:4317")]
    [InlineData("ftp://collector")]
    [InlineData("/relative")]
    public void Invalid_endpoint_is_reported_and_the_default_kept(string value)
    {
        var options = FromEnvironment(("OTEL_EXPORTER_OTLP_ENDPOINT", value));

        Assert.Null(options.Endpoint);
        Assert.Equal(new Uri("http://localhost:4317"), options.ResolveEndpoint());
        Assert.Single(options.ConfigurationWarnings);
    }

    [Fact]
    public void Invalid_traces_endpoint_falls_back_to_the_base_endpoint()
    {
        var options = FromEnvironment(
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://base:4318"),
            ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "not a url"));

        Assert.Equal(new Uri("http://base:4318/v1/traces"), options.ResolveEndpoint());
        Assert.Single(options.ConfigurationWarnings);
    }

    [Fact]
    public void Certificate_paths_are_read_and_each_traces_variable_wins_over_its_general_one()
    {
        var options = FromEnvironment(
            ("OTEL_EXPORTER_OTLP_CERTIFICATE", "/etc/otel/ca.pem"),
            ("OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE", " /etc/otel/traces-ca.pem "),
            ("OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE", "/etc/otel/client.pem"),
            ("OTEL_EXPORTER_OTLP_CLIENT_KEY", "/etc/otel/client.key"),
            ("OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY", "/etc/otel/traces-client.key"));

        Assert.Equal("/etc/otel/traces-ca.pem", options.TrustedCertificatePath);
        Assert.Equal("/etc/otel/client.pem", options.ClientCertificatePath);
        Assert.Equal("/etc/otel/traces-client.key", options.ClientKeyPath);
        Assert.Empty(options.ConfigurationWarnings);
    }

    [Fact]
    public void Empty_traces_certificate_variable_leaves_the_general_one()
    {
        var options = FromEnvironment(("OTEL_EXPORTER_OTLP_CERTIFICATE", "/etc/otel/ca.pem"), ("OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE", " "));

        Assert.Equal("/etc/otel/ca.pem", options.TrustedCertificatePath);
    }

    [Fact]
    public void A_certificate_path_is_reported_under_its_variable_until_code_changes_it()
    {
        var options = FromEnvironment(("OTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE", "/etc/otel/client.pem"));

        Assert.Equal("OTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE", options.PathSettingName(nameof(OtlpExporterOptions.ClientCertificatePath), options.ClientCertificatePath!));

        options.ClientCertificatePath = "/run/secrets/client.pem";
        Assert.Equal("OtlpExporterOptions.ClientCertificatePath", options.PathSettingName(nameof(OtlpExporterOptions.ClientCertificatePath), options.ClientCertificatePath));
    }

    [Fact]
    public void Empty_variables_count_as_unset()
    {
        var options = FromEnvironment(("OTEL_EXPORTER_OTLP_PROTOCOL", ""), ("OTEL_EXPORTER_OTLP_TIMEOUT", "  "), ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", ""));

        Assert.Equal(OtlpExportProtocol.Grpc, options.Protocol);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Timeout);
        Assert.Empty(options.ConfigurationWarnings);
    }

    [Fact]
    public void Exporter_reports_configuration_warnings_through_the_diagnostic_hook()
    {
        var options = FromEnvironment(("OTEL_EXPORTER_OTLP_COMPRESSION", "zstd"));
        var diagnostics = new List<OtlpDiagnostic>();
        options.OnDiagnostic = diagnostics.Add;

        using var exporter = new OtlpSpanExporter(options);

        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal(OtlpDiagnosticKind.InvalidConfiguration, diagnostic.Kind);
        Assert.Contains("OTEL_EXPORTER_OTLP_COMPRESSION='zstd'", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Exporter_rejects_out_of_range_options_naming_the_option()
    {
        Assert.Contains("MaxAttempts", Assert.Throws<ArgumentException>(() => new OtlpSpanExporter(new OtlpExporterOptions { Retry = { MaxAttempts = 0 } })).Message, StringComparison.Ordinal);
        Assert.Contains("Timeout", Assert.Throws<ArgumentException>(() => new OtlpSpanExporter(new OtlpExporterOptions { Timeout = TimeSpan.Zero })).Message, StringComparison.Ordinal);
        Assert.Contains("Jitter", Assert.Throws<ArgumentException>(() => new OtlpSpanExporter(new OtlpExporterOptions { Retry = { Jitter = 2 } })).Message, StringComparison.Ordinal);
        Assert.Contains("Endpoint", Assert.Throws<ArgumentException>(() => new OtlpSpanExporter(new OtlpExporterOptions { Endpoint = new Uri("ftp://x") })).Message, StringComparison.Ordinal);
        var contentHeader = new OtlpExporterOptions();
        contentHeader.Headers["Content-Type"] = "text/plain";
        Assert.Contains("Content-Type", Assert.Throws<ArgumentException>(() => new OtlpSpanExporter(contentHeader)).Message, StringComparison.Ordinal);
    }
}
