using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Threadline.Sdk.Export;
using Threadline.Sdk.Export.Otlp;

namespace Threadline.Sdk.Tests.Export;

/// <summary>
/// The exporter against a Kestrel TLS server whose certificate comes from a test CA: the trusted
/// certificate file, mutual TLS, and what unusable files are reported as. OTLP/HTTP and OTLP/gRPC
/// share one handler; each end-to-end case runs over both.
/// </summary>
public sealed class OtlpTlsExporterTests(TestPki pki) : IClassFixture<TestPki>
{
    private static readonly ActivitySource Source = TestSpans.Source("tls.exporter", "1.0.0");

    public static TheoryData<OtlpExportProtocol> Protocols => new() { OtlpExportProtocol.HttpProtobuf, OtlpExportProtocol.Grpc };

    private Task<ScriptedOtlpServer> StartServerAsync(OtlpExportProtocol protocol, X509Certificate2? certificate = null, bool requireClientCertificate = false) =>
        ScriptedOtlpServer.StartAsync(grpc: protocol == OtlpExportProtocol.Grpc, https =>
        {
            https.ServerCertificate = certificate ?? pki.Server;
            if (requireClientCertificate)
            {
                https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                // Kestrel's chain used the system roots; only the test CA counts here.
                https.ClientCertificateValidation = (client, _, _) => pki.IssuedByCa(client);
            }
        });

    /// <summary>Options from the given variables, then pointed at the server.</summary>
    private static ExporterHarness Harness(ScriptedOtlpServer server, OtlpExportProtocol protocol, Dictionary<string, string>? environment = null, Action<OtlpExporterOptions>? configure = null)
    {
        var options = OtlpExporterOptions.FromEnvironment(name => environment?.GetValueOrDefault(name));
        options.Protocol = protocol;
        options.Endpoint = protocol == OtlpExportProtocol.Grpc ? server.BaseAddress : new Uri(server.BaseAddress, "/v1/traces");
        // One attempt: a TLS failure is as certain on the second try, and the tests read one failure.
        options.Retry.MaxAttempts = 1;
        configure?.Invoke(options);
        return new ExporterHarness(options);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Export_over_https_succeeds_when_the_certificate_variable_names_the_servers_CA(OtlpExportProtocol protocol)
    {
        await using var server = await StartServerAsync(protocol);
        using var harness = Harness(server, protocol, new() { ["OTEL_EXPORTER_OTLP_CERTIFICATE"] = pki.CaPath });
        var batch = new[] { TestSpans.Realistic(Source, 1) };

        Assert.Equal(ExportResult.Success, await harness.ExportAsync(batch));

        Assert.Equal(Uri.UriSchemeHttps, server.BaseAddress.Scheme);
        var request = Assert.Single(server.Requests);
        Assert.Equal(protocol == OtlpExportProtocol.Grpc ? "HTTP/2" : "HTTP/1.1", request.Protocol);
        Assert.Equal(ReferenceOtlp.Build(TestSpans.Resource, batch), request.Parse());
        Assert.Empty(harness.Diagnostics);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Without_the_certificate_file_the_private_CA_is_untrusted_and_the_failure_is_reported(OtlpExportProtocol protocol)
    {
        await using var server = await StartServerAsync(protocol);
        using var harness = Harness(server, protocol);

        Assert.Equal(ExportResult.Failure, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));

        Assert.Empty(server.Requests);
        var failure = harness.Single(OtlpDiagnosticKind.ExportFailed);
        Assert.Contains(server.BaseAddress.Authority, failure.Message, StringComparison.Ordinal);
        Assert.Contains("the TLS handshake failed: The remote certificate is invalid because of errors in the certificate chain", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task A_certificate_file_with_another_CA_replaces_the_trust_and_fails(OtlpExportProtocol protocol)
    {
        await using var server = await StartServerAsync(protocol);
        using var harness = Harness(server, protocol, configure: o => o.TrustedCertificatePath = pki.OtherCaPath);

        Assert.Equal(ExportResult.Failure, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));

        Assert.Empty(server.Requests);
        Assert.Contains("the TLS handshake failed: The remote certificate is invalid because of errors in the certificate chain", harness.Single(OtlpDiagnosticKind.ExportFailed).Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task The_host_name_is_still_checked_against_a_certificate_from_the_trusted_CA(OtlpExportProtocol protocol)
    {
        await using var server = await StartServerAsync(protocol, pki.WrongNameServer);
        using var harness = Harness(server, protocol, configure: o => o.TrustedCertificatePath = pki.CaPath);

        Assert.Equal(ExportResult.Failure, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));

        Assert.Empty(server.Requests);
        Assert.Contains("the TLS handshake failed: The remote certificate is invalid according to the validation procedure: RemoteCertificateNameMismatch", harness.Single(OtlpDiagnosticKind.ExportFailed).Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task A_server_requiring_a_client_certificate_accepts_the_configured_one(OtlpExportProtocol protocol)
    {
        await using var server = await StartServerAsync(protocol, requireClientCertificate: true);
        using var harness = Harness(server, protocol, new()
        {
            ["OTEL_EXPORTER_OTLP_CERTIFICATE"] = pki.CaPath,
            ["OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE"] = pki.ClientCertificatePath,
            ["OTEL_EXPORTER_OTLP_CLIENT_KEY"] = pki.ClientKeyPath,
        });

        Assert.Equal(ExportResult.Success, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));

        Assert.Equal(pki.Client.Subject, Assert.Single(server.Requests).ClientCertificateSubject);
        Assert.Empty(harness.Diagnostics);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task A_server_requiring_a_client_certificate_rejects_the_export_without_one(OtlpExportProtocol protocol)
    {
        await using var server = await StartServerAsync(protocol, requireClientCertificate: true);
        using var harness = Harness(server, protocol, configure: o => o.TrustedCertificatePath = pki.CaPath);

        Assert.Equal(ExportResult.Failure, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));

        Assert.Empty(server.Requests);
        var failure = harness.Single(OtlpDiagnosticKind.ExportFailed).Message;
        // Under TLS 1.3 the server refuses the client after the client's side of the handshake is
        // done, so what the exporter sees (a closed connection, an alert) varies from run to run.
        Assert.Contains(server.BaseAddress.Authority, failure, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Traces_certificate_variable_wins_over_the_general_one(OtlpExportProtocol protocol)
    {
        await using var server = await StartServerAsync(protocol);
        using var traces = Harness(server, protocol, new()
        {
            ["OTEL_EXPORTER_OTLP_CERTIFICATE"] = pki.OtherCaPath,
            ["OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE"] = pki.CaPath,
        });
        using var general = Harness(server, protocol, new()
        {
            ["OTEL_EXPORTER_OTLP_CERTIFICATE"] = pki.CaPath,
            ["OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE"] = pki.OtherCaPath,
        });

        Assert.Equal(ExportResult.Success, await traces.ExportAsync(TestSpans.Realistic(Source, 1)));
        Assert.Equal(ExportResult.Failure, await general.ExportAsync(TestSpans.Realistic(Source, 2)));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Traces_client_certificate_variables_win_over_the_general_ones()
    {
        await using var server = await StartServerAsync(OtlpExportProtocol.HttpProtobuf, requireClientCertificate: true);
        using var harness = Harness(server, OtlpExportProtocol.HttpProtobuf, new()
        {
            ["OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE"] = pki.CaPath,
            ["OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE"] = pki.Missing("general-client.pem"),
            ["OTEL_EXPORTER_OTLP_CLIENT_KEY"] = pki.Missing("general-client-key.pem"),
            ["OTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE"] = pki.ClientCertificatePath,
            ["OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY"] = pki.ClientKeyPath,
        });

        Assert.Equal(ExportResult.Success, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));

        Assert.Equal(pki.Client.Subject, Assert.Single(server.Requests).ClientCertificateSubject);
        Assert.Empty(harness.Diagnostics);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task An_unusable_certificate_file_is_reported_at_creation_and_nothing_is_sent(OtlpExportProtocol protocol)
    {
        await using var server = await StartServerAsync(protocol);
        var missing = pki.Missing("no-such-ca.pem");
        using var harness = Harness(server, protocol, new() { ["OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE"] = missing });

        var warning = harness.Single(OtlpDiagnosticKind.InvalidConfiguration);
        Assert.Equal($"OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE='{missing}' cannot be used: the file does not exist.", warning.Message);

        // Not thrown, and not sent with the system's trust instead of the one asked for.
        Assert.Equal(ExportResult.Failure, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));
        Assert.Empty(server.Requests);
        var failure = harness.Single(OtlpDiagnosticKind.ExportFailed);
        Assert.Contains($"OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE='{missing}'", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, failure.Attempt);
    }

    [Fact]
    public async Task A_file_that_is_not_PEM_is_reported_naming_the_variable_and_path()
    {
        var path = pki.Write("not-pem.pem", "this is not a certificate\n");

        var message = await CreationWarningAsync(new() { ["OTEL_EXPORTER_OTLP_CERTIFICATE"] = path });

        Assert.Equal($"OTEL_EXPORTER_OTLP_CERTIFICATE='{path}' cannot be used: the file holds no PEM certificate (a -----BEGIN CERTIFICATE----- block).", message);
    }

    [Fact]
    public async Task A_certificate_block_that_is_not_a_certificate_is_reported()
    {
        var path = pki.Write("corrupt.pem", "-----BEGIN CERTIFICATE-----\nAAECAwQFBgcICQoLDA0ODw==\n-----END CERTIFICATE-----\n");

        var message = await CreationWarningAsync(new() { ["OTEL_EXPORTER_OTLP_CERTIFICATE"] = path });

        Assert.StartsWith($"OTEL_EXPORTER_OTLP_CERTIFICATE='{path}' cannot be used: a CERTIFICATE block in the file is not a valid certificate", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_certificate_without_a_key_is_a_configuration_error()
    {
        var message = await CreationWarningAsync(new() { ["OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE"] = pki.ClientCertificatePath });

        Assert.Equal(
            $"OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE='{pki.ClientCertificatePath}' cannot be used: a client certificate needs its private key: set OTEL_EXPORTER_OTLP_[TRACES_]CLIENT_KEY too.",
            message);
    }

    [Fact]
    public async Task A_client_key_without_a_certificate_is_a_configuration_error()
    {
        var message = await CreationWarningAsync(configure: o => o.ClientKeyPath = pki.ClientKeyPath);

        Assert.Equal(
            $"OtlpExporterOptions.ClientKeyPath='{pki.ClientKeyPath}' cannot be used: a client key needs its certificate: set OtlpExporterOptions.ClientCertificatePath too.",
            message);
    }

    [Fact]
    public async Task A_key_that_does_not_match_the_client_certificate_is_reported_against_the_key()
    {
        var message = await CreationWarningAsync(new()
        {
            ["OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE"] = pki.ClientCertificatePath,
            ["OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY"] = pki.OtherKeyPath,
        });

        Assert.StartsWith(
            $"OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY='{pki.OtherKeyPath}' cannot be used: the file holds no PEM private key (PKCS#8, RSA or EC) that matches the certificate in OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE",
            message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_client_certificate_and_key_files_are_both_reported()
    {
        await using var server = await StartServerAsync(OtlpExportProtocol.HttpProtobuf);
        var certificate = pki.Missing("missing-client.pem");
        var key = pki.Missing("missing-client-key.pem");
        using var harness = Harness(server, OtlpExportProtocol.HttpProtobuf, configure: o =>
        {
            o.ClientCertificatePath = certificate;
            o.ClientKeyPath = key;
        });

        Assert.Equal(
            [
                $"OtlpExporterOptions.ClientCertificatePath='{certificate}' cannot be used: the file does not exist.",
                $"OtlpExporterOptions.ClientKeyPath='{key}' cannot be used: the file does not exist.",
            ],
            harness.Diagnostics.Where(d => d.Kind == OtlpDiagnosticKind.InvalidConfiguration).Select(d => d.Message));
    }

    [Fact]
    public async Task Certificate_files_with_an_http_endpoint_are_ignored_with_a_warning()
    {
        await using var server = await ScriptedOtlpServer.StartAsync(grpc: false);
        using var harness = Harness(server, OtlpExportProtocol.HttpProtobuf, new() { ["OTEL_EXPORTER_OTLP_CERTIFICATE"] = pki.Missing("unused.pem") });

        Assert.Contains("was ignored: the endpoint http://", harness.Single(OtlpDiagnosticKind.InvalidConfiguration).Message, StringComparison.Ordinal);
        Assert.Equal(ExportResult.Success, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));
    }

    /// <summary>The single InvalidConfiguration diagnostic of an exporter created with these settings.</summary>
    private async Task<string> CreationWarningAsync(Dictionary<string, string>? environment = null, Action<OtlpExporterOptions>? configure = null)
    {
        await using var server = await StartServerAsync(OtlpExportProtocol.HttpProtobuf);
        using var harness = Harness(server, OtlpExportProtocol.HttpProtobuf, environment, configure);

        var message = harness.Single(OtlpDiagnosticKind.InvalidConfiguration).Message;
        Assert.Equal(ExportResult.Failure, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));
        Assert.Empty(server.Requests);
        return message;
    }
}
