using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Threadline.Sdk.Export.Otlp;
using Threadline.Sdk.Tests.Diagnostics;
using Threadline.Sdk.Tests.Export;

namespace Threadline.Sdk.Tests.Setup;

/// <summary>
/// What a user sees without wiring anything: failed exports and ignored settings reach the host's
/// logger or standard error, once, and THREADLINE_SDK_DIAGNOSTICS=off silences them.
/// </summary>
public sealed class UserDiagnosticsTests
{
    [Fact]
    public async Task A_failing_export_is_reported_once_with_endpoint_protocol_and_advice_and_its_recovery_once()
    {
        await using var collector = await ScriptedOtlpServer.StartAsync(grpc: false);
        collector.Enqueue(ExporterHarness.Respond(404));
        var writer = new RecordingDiagnosticsWriter();
        var endpoint = new Uri(collector.BaseAddress, "/v1/traces");
        using var source = TestTracing.UniqueSource();
        await using var session = Start(source, writer, _ => null, otlp =>
        {
            otlp.Protocol = OtlpExportProtocol.HttpProtobuf;
            otlp.Endpoint = endpoint;
        });

        source.StartActivity("lost")?.Stop();
        Assert.True(await session.ForceFlushAsync().WaitAsync(Waiting.Patience));

        var (level, message) = Assert.Single(writer.Messages);
        Assert.Equal("warning", level);
        Assert.Contains($"spans are not reaching {endpoint} (http/protobuf)", message, StringComparison.Ordinal);
        Assert.Contains("HTTP 404", message, StringComparison.Ordinal);
        Assert.Contains("What to check: nothing takes spans at /v1/traces", message, StringComparison.Ordinal);
        Assert.Contains("1 span lost", message, StringComparison.Ordinal);

        source.StartActivity("delivered")?.Stop();
        Assert.True(await session.ForceFlushAsync().WaitAsync(Waiting.Patience));
        source.StartActivity("delivered too")?.Stop();
        Assert.True(await session.ForceFlushAsync().WaitAsync(Waiting.Patience));

        Assert.Equal(2, writer.Messages.Count);
        Assert.Equal(("info", $"export to {endpoint} (http/protobuf) works again."), writer.Messages[1]);
    }

    [Theory]
    [InlineData("off")]
    [InlineData("OFF")]
    public async Task THREADLINE_SDK_DIAGNOSTICS_off_silences_failures_and_ignored_settings(string value)
    {
        var writer = new RecordingDiagnosticsWriter();
        using var source = TestTracing.UniqueSource();
        var environment = TestTracing.Environment(new Dictionary<string, string>
        {
            ["THREADLINE_SDK_DIAGNOSTICS"] = value,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpcc",
        });
        await using (var session = Start(source, writer, environment, otlp =>
        {
            otlp.Endpoint = new Uri($"http://127.0.0.1:{WrongDestinationTests.FreePort()}");
            otlp.Retry.MaxAttempts = 1;
        }))
        {
            source.StartActivity("lost")?.Stop();
            await session.ForceFlushAsync().WaitAsync(Waiting.Patience);
        }

        Assert.Empty(writer.Messages);
    }

    [Fact]
    public async Task Diagnostics_can_be_turned_off_in_code()
    {
        var writer = new RecordingDiagnosticsWriter();
        using var source = TestTracing.UniqueSource();
        await using (var session = Start(source, writer, _ => null, otlp =>
        {
            otlp.Endpoint = new Uri($"http://127.0.0.1:{WrongDestinationTests.FreePort()}");
            otlp.Retry.MaxAttempts = 1;
        }, o => o.Diagnostics.Enabled = false))
        {
            source.StartActivity("lost")?.Stop();
            await session.ForceFlushAsync().WaitAsync(Waiting.Patience);
        }

        Assert.Empty(writer.Messages);
    }

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_PROTOCOL", "grpcc", "expected grpc, http/protobuf or http/json; the exporter uses grpc")]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http", "expected grpc, http/protobuf or http/json; the exporter uses grpc")]
    [InlineData("OTEL_EXPORTER_OTLP_TIMEOUT", "10s", "expected a whole number of milliseconds; the exporter uses 10000 ms")]
    [InlineData("OTEL_EXPORTER_OTLP_COMPRESSION", "zip", "expected gzip or none; the exporter sends uncompressed")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4317", "expected an absolute http:// or https:// URL; the exporter sends to http://localhost:4317/")]
    [InlineData("OTEL_TRACES_SAMPLER", "always", "unknown sampler; expected always_on, always_off, traceidratio")]
    [InlineData("OTEL_TRACES_EXPORTER", "jaeger", "unknown exporter 'jaeger'; expected otlp, console or none")]
    [InlineData("OTEL_BSP_MAX_QUEUE_SIZE", "lots", "expected a whole number of at least 1; the default (2048) stays")]
    [InlineData("OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "-1", "OTEL_ATTRIBUTE_COUNT_LIMIT applies if set, else the default (128)")]
    [InlineData("OTEL_RESOURCE_ATTRIBUTES", "team", "entry 'team' is not key=value")]
    [InlineData("OTEL_PROPAGATORS", "tracecontext,xray", "unknown propagator 'xray'; expected tracecontext, baggage, b3, b3multi or none")]
    [InlineData("OTEL_SDK_DISABLED", "yes", "expected true or false; tracing stays on")]
    [InlineData("THREADLINE_SDK_DIAGNOSTICS", "quiet", "expected on or off; the messages stay on")]
    public void Every_unusable_variable_is_reported_once_with_its_value_the_accepted_values_and_what_applies(string variable, string value, string reason)
    {
        var writer = new RecordingDiagnosticsWriter();
        using var source = TestTracing.UniqueSource();
        using var session = Start(source, writer, TestTracing.Environment(new Dictionary<string, string> { [variable] = value }), otlp => { });

        var warning = Assert.Single(writer.Warnings);
        Assert.StartsWith($"{variable}='{value}' was ignored: ", warning, StringComparison.Ordinal);
        Assert.Contains(reason, warning, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unusable_certificate_file_is_reported_with_its_variable_and_path()
    {
        var writer = new RecordingDiagnosticsWriter();
        using var source = TestTracing.UniqueSource();
        var missing = Path.Combine(Path.GetTempPath(), "threadline-missing-" + Guid.NewGuid().ToString("N") + ".pem");
        using var session = Start(source, writer, TestTracing.Environment(new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "https://collector.internal:4317",
            ["OTEL_EXPORTER_OTLP_CERTIFICATE"] = missing,
        }), otlp => { });

        var warning = Assert.Single(writer.Warnings);
        Assert.StartsWith($"OTEL_EXPORTER_OTLP_CERTIFICATE='{missing}' cannot be used", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_values_are_never_echoed_to_the_user()
    {
        var writer = new RecordingDiagnosticsWriter();
        using var source = TestTracing.UniqueSource();
        using var session = Start(source, writer, TestTracing.Environment(new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_HEADERS"] = "api-key-without-equals-secret",
        }), otlp => { });

        Assert.NotEmpty(writer.Warnings);
        Assert.All(writer.Warnings, w => Assert.DoesNotContain("secret", w, StringComparison.Ordinal));
        Assert.Contains(writer.Warnings, w => w.StartsWith("OTEL_EXPORTER_OTLP_HEADERS", StringComparison.Ordinal));
    }

    [Fact]
    public void In_a_host_the_messages_go_to_its_logger()
    {
        var logs = new RecordingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(logs));
        services.AddThreadlineTracing(o =>
        {
            o.IncludeFrameworkSources = false;
            o.InstallPropagator = false;
            o.UseOtlpExporter();
        });
        var setup = (TracingSetup)Assert.Single(services, d => d.ServiceType == typeof(TracingSetup)).ImplementationInstance!;
        setup.GetEnvironmentVariable = TestTracing.Environment(new Dictionary<string, string> { ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpcc" });

        using (var provider = services.BuildServiceProvider())
        {
            provider.GetRequiredService<TracingSession>();
        }

        var (category, level, message) = Assert.Single(logs.Entries);
        Assert.Equal("Threadline.Sdk", category);
        Assert.Equal(LogLevel.Warning, level);
        Assert.StartsWith("OTEL_EXPORTER_OTLP_PROTOCOL='grpcc' was ignored", message, StringComparison.Ordinal);
    }

    private static TracingSession Start(
        ActivitySource source,
        RecordingDiagnosticsWriter writer,
        Func<string, string?> environment,
        Action<OtlpExporterOptions> otlp,
        Action<TracingOptions>? configure = null) =>
        ThreadlineTracing.Start(
            o =>
            {
                o.IncludeFrameworkSources = false;
                o.InstallPropagator = false;
                o.AddSource(source.Name);
                o.UseOtlpExporter(otlp);
                o.Diagnostics.Writer = writer;
                configure?.Invoke(o);
            },
            environment);

    private sealed class RecordingLoggerProvider : ILoggerProvider
    {
        private readonly List<(string Category, LogLevel Level, string Message)> _entries = [];

        public IReadOnlyList<(string Category, LogLevel Level, string Message)> Entries
        {
            get
            {
                lock (_entries) return [.. _entries];
            }
        }

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(RecordingLoggerProvider provider, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (provider._entries) provider._entries.Add((category, logLevel, formatter(state, exception)));
            }
        }
    }
}

/// <summary>Replaces the process's standard error, so it runs alone.</summary>
[CollectionDefinition(nameof(StandardErrorCapture), DisableParallelization = true)]
public sealed class StandardErrorCapture;

[Collection(nameof(StandardErrorCapture))]
public sealed class StandardErrorDiagnosticsTests
{
    [Fact]
    public void Without_a_host_the_messages_go_to_standard_error()
    {
        var marker = "lots-" + Guid.NewGuid().ToString("N");
        var captured = new StringWriter();
        var previous = Console.Error;
        Console.SetError(TextWriter.Synchronized(captured));
        try
        {
            using var session = ThreadlineTracing.Start(
                o =>
                {
                    o.IncludeFrameworkSources = false;
                    o.InstallPropagator = false;
                    o.UseInMemoryExporter(new List<Activity>());
                },
                TestTracing.Environment(new Dictionary<string, string> { ["OTEL_BSP_MAX_QUEUE_SIZE"] = marker }));
        }
        finally
        {
            Console.SetError(previous);
        }

        Assert.Contains($"Threadline.Sdk warning: OTEL_BSP_MAX_QUEUE_SIZE='{marker}' was ignored", captured.ToString(), StringComparison.Ordinal);
    }
}
