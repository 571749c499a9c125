using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Threadline.Sdk.Export;
using Threadline.Sdk.Export.Otlp;
using Threadline.Sdk.Processing;

namespace Threadline.Sdk.Tests.Setup;

public sealed class TracingSessionTests
{
    [Fact]
    public void Resource_describes_service_host_process_and_sdk()
    {
        using var tracing = TestTracing.Start(o =>
        {
            o.ServiceName = "checkout";
            o.ServiceVersion = "2.4.1";
            o.DeploymentEnvironment = "staging";
            o.ResourceAttributes["team"] = "payments";
        });
        var resource = tracing.Session.Resource.Attributes.ToDictionary(a => a.Key, a => a.Value);

        Assert.Equal("checkout", resource["service.name"]);
        Assert.Equal("2.4.1", resource["service.version"]);
        Assert.Equal("staging", resource["deployment.environment.name"]);
        Assert.Equal("payments", resource["team"]);
        Assert.True(Guid.TryParse((string)resource["service.instance.id"]!, out _));
        Assert.Equal(Environment.MachineName, resource["host.name"]);
        Assert.False(string.IsNullOrEmpty((string)resource["host.arch"]!));
        Assert.Contains(resource["os.type"], new object[] { "linux", "windows", "darwin", "freebsd" });
        Assert.Equal((long)Environment.ProcessId, resource["process.pid"]);
        Assert.False(string.IsNullOrEmpty((string)resource["process.executable.name"]!));
        Assert.Equal(".NET", resource["process.runtime.name"]);
        Assert.Equal(Environment.Version.ToString(), resource["process.runtime.version"]);
        Assert.Contains(".NET", (string)resource["process.runtime.description"]!);
        Assert.Equal("threadline", resource["telemetry.sdk.name"]);
        Assert.Equal("dotnet", resource["telemetry.sdk.language"]);
        Assert.False(string.IsNullOrEmpty((string)resource["telemetry.sdk.version"]!));
    }

    [Fact]
    public void Service_name_defaults_to_unknown_service_and_the_executable()
    {
        using var tracing = TestTracing.Start();
        var resource = tracing.Session.Resource.Attributes.ToDictionary(a => a.Key, a => a.Value);
        Assert.Equal("unknown_service:" + resource["process.executable.name"], tracing.Session.Resource.ServiceName);
    }

    [Fact]
    public void Exporters_receive_the_resource()
    {
        using var tracing = TestTracing.Start(o => o.ServiceName = "orders");
        Assert.Equal("orders", tracing.Exporter.Resource.ServiceName);
    }

    [Theory]
    [InlineData("MyCompany.*", "mycompany.orders", true)]
    [InlineData("MyCompany.*", "MyCompany.Orders.Db", true)]
    [InlineData("MyCompany.*", "MyCompanyX", false)]
    [InlineData("*.Db", "Orders.Db", true)]
    [InlineData("Orders.*.Db", "Orders.Eu.Db", true)]
    [InlineData("Orders.*.Db", "Orders.Eu.Cache", false)]
    [InlineData("Orders", "orders", true)]
    [InlineData("Orders", "Orders.Db", false)]
    public void Sources_match_exact_names_and_wildcards_ignoring_case(string pattern, string name, bool expected)
    {
        Assert.Equal(expected, new SourceMatcher([pattern]).Matches(name));
    }

    [Fact]
    public void Wildcard_sources_are_traced_and_others_are_not()
    {
        var prefix = "Threadline.Sdk.Tests.Wildcard" + Guid.NewGuid().ToString("N");
        using var traced = new ActivitySource(prefix + ".Orders");
        using var other = new ActivitySource(prefix + "X.Orders");
        var exported = new List<Activity>();
        using (ThreadlineTracing.Start(
            o =>
            {
                o.IncludeFrameworkSources = false;
                o.InstallPropagator = false;
                o.AddSource(prefix + ".*");
                o.UseInMemoryExporter(exported);
            },
            _ => null))
        {
            using (traced.StartSpan("in"))
            {
            }
            Assert.Null(other.StartSpan("out"));
        }
        Assert.Equal("in", Assert.Single(exported).DisplayName);
    }

    [Fact]
    public void Framework_sources_are_included_by_default_and_can_be_left_out()
    {
        var defaults = new TracingOptions();
        Assert.True(defaults.IncludeFrameworkSources);
        Assert.Equal("Microsoft.AspNetCore", TracingOptions.AspNetCoreSource);
        Assert.Equal("System.Net.Http", TracingOptions.HttpClientSource);
    }

    [Fact]
    public void Disposing_the_session_exports_what_the_batch_queue_holds()
    {
        var exporter = new InMemorySpanExporter();
        var source = TestTracing.UniqueSource();
        var session = ThreadlineTracing.Start(
            o =>
            {
                o.IncludeFrameworkSources = false;
                o.InstallPropagator = false;
                o.AddSource(source.Name);
                o.Batch.ScheduledDelay = TimeSpan.FromHours(1);
                o.AddExporter(exporter);
            },
            _ => null);
        for (var i = 0; i < 3; i++)
        {
            using (source.StartSpan("queued"))
            {
            }
        }
        Assert.Empty(exporter.Spans);

        session.Dispose();

        Assert.Equal(3, exporter.Spans.Count);
    }

    [Fact]
    public async Task ForceFlush_exports_batched_spans_and_tracing_goes_on()
    {
        var exporter = new InMemorySpanExporter();
        var source = TestTracing.UniqueSource();
        await using var session = ThreadlineTracing.Start(
            o =>
            {
                o.IncludeFrameworkSources = false;
                o.InstallPropagator = false;
                o.AddSource(source.Name);
                o.Batch.ScheduledDelay = TimeSpan.FromHours(1);
                o.AddExporter(exporter);
            },
            _ => null);
        using (source.StartSpan("first"))
        {
        }

        Assert.True(await session.ForceFlushAsync());
        Assert.Single(exporter.Spans);
        Assert.True(source.HasListeners());
    }

    [Fact]
    public async Task After_shutdown_nothing_is_listened_to()
    {
        using var tracing = TestTracing.Start();
        await tracing.Session.ShutdownAsync();
        await tracing.Session.ShutdownAsync();
        Assert.Null(tracing.Source.StartSpan("late"));
        Assert.Empty(tracing.Spans);
    }

    [Fact]
    public void Exporters_from_code_replace_OTEL_TRACES_EXPORTER()
    {
        var output = new StringWriter();
        using var tracing = TestTracing.Start(
            o => o.UseConsoleExporter(output),
            new Dictionary<string, string> { ["OTEL_TRACES_EXPORTER"] = "none" });
        using (tracing.Source.StartSpan("shown"))
        {
        }
        Assert.Contains("shown", output.ToString());
        Assert.Single(tracing.Spans);
    }

    [Theory]
    [InlineData("console", typeof(SimpleSpanProcessor), typeof(ConsoleSpanExporter))]
    [InlineData("otlp", typeof(BatchSpanProcessor), typeof(OtlpSpanExporter))]
    public void OTEL_TRACES_EXPORTER_applies_when_code_adds_no_exporter(string name, Type processorType, Type exporterType)
    {
        using var tracing = TestTracing.Start(inMemoryExporter: false, environment: new Dictionary<string, string> { ["OTEL_TRACES_EXPORTER"] = name });
        var processor = Assert.Single(tracing.Session.Processors);
        Assert.IsType(processorType, processor);
        Assert.IsType(exporterType, processor is BatchSpanProcessor batch ? batch.Exporter : ((SimpleSpanProcessor)processor).Exporter);
    }

    [Fact]
    public void OTEL_TRACES_EXPORTER_none_means_no_exporter_but_spans_are_still_recorded()
    {
        using var tracing = TestTracing.Start(inMemoryExporter: false, environment: new Dictionary<string, string> { ["OTEL_TRACES_EXPORTER"] = "none" });
        Assert.Empty(tracing.Session.Processors);
        using var span = tracing.Source.StartSpan("nowhere");
        Assert.True(span!.Recorded);
    }

    [Fact]
    public void Without_exporters_in_code_or_environment_spans_go_over_otlp()
    {
        using var tracing = TestTracing.Start(inMemoryExporter: false);
        var batch = Assert.IsType<BatchSpanProcessor>(Assert.Single(tracing.Session.Processors));
        Assert.IsType<OtlpSpanExporter>(batch.Exporter);
    }

    [Fact]
    public void User_processors_run_before_exporters()
    {
        var redaction = new RedactionProcessor();
        using var tracing = TestTracing.Start(o => o.AddProcessor(redaction));
        Assert.Same(redaction, tracing.Session.Processors[0]);
        Assert.IsType<SimpleSpanProcessor>(tracing.Session.Processors[1]);
    }

    [Fact]
    public async Task AddThreadlineTracing_starts_with_the_host_and_stops_with_it()
    {
        var source = TestTracing.UniqueSource();
        var exported = new List<Activity>();
        var services = new ServiceCollection();
        services.AddThreadlineTracing(o =>
        {
            o.IncludeFrameworkSources = false;
            o.InstallPropagator = false;
            o.AddSource(source.Name);
        });
        // A second call (a library, say) adds to the same session.
        services.AddThreadlineTracing(o => o.UseInMemoryExporter(exported));

        var hosted = Assert.Single(services, d => d.ServiceType == typeof(IHostedService));
        var setup = (TracingSetup)Assert.Single(services, d => d.ServiceType == typeof(TracingSetup)).ImplementationInstance!;
        setup.GetEnvironmentVariable = _ => null;
        var sessionFactory = Assert.Single(services, d => d.ServiceType == typeof(TracingSession)).ImplementationFactory!;

        var provider = new SingleServiceProvider(setup);
        var session = (TracingSession)sessionFactory(provider);
        var service = (IHostedService)Activator.CreateInstance(hosted.ImplementationType!, session)!;
        await service.StartAsync(CancellationToken.None);
        using (source.StartSpan("hosted"))
        {
        }
        await service.StopAsync(CancellationToken.None);

        Assert.Equal("hosted", Assert.Single(exported).DisplayName);
        Assert.False(source.HasListeners());
        session.Dispose();
    }

    private sealed class SingleServiceProvider(object service) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType.IsInstanceOfType(service) ? service : null;
    }
}

[Collection(Propagation.GlobalPropagatorCollection.Name)]
public sealed class TracingSessionPropagatorTests
{
    [Fact]
    public void The_propagator_is_installed_at_start_and_put_back_at_shutdown()
    {
        var before = DistributedContextPropagator.Current;
        var source = TestTracing.UniqueSource();
        var session = ThreadlineTracing.Start(
            o =>
            {
                o.IncludeFrameworkSources = false;
                o.AddSource(source.Name);
                o.UseInMemoryExporter(new InMemorySpanExporter());
            },
            TestTracing.Environment(new Dictionary<string, string> { ["OTEL_PROPAGATORS"] = "b3" }));
        try
        {
            Assert.NotSame(before, DistributedContextPropagator.Current);
            Assert.Contains(DistributedContextPropagator.Current.Fields, f => f.Equals("b3", StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            session.Dispose();
        }
        Assert.Same(before, DistributedContextPropagator.Current);
    }

}
