using System.Diagnostics.Metrics;
using Grpc.AspNetCore.Server.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Threadline.Core.Analysis.Naming;
using Threadline.Pipeline;
using Threadline.Pipeline.Ingest;
using Threadline.Pipeline.Limits;
using Threadline.Pipeline.Stages;
using Threadline.Query.Analysis;
using Threadline.Query.Search;
using Threadline.Query.TraceQL;
using Threadline.Server.Api;
using Threadline.Server.Api.Analysis;
using Threadline.Server.Api.Tempo;
using Threadline.Server.Metrics;
using Threadline.Server.Options;
using Threadline.Server.Receivers.Grpc;
using Threadline.Server.Receivers.Http;
using Threadline.Server.Receivers.Zipkin;
using Threadline.Server.Tempo;
using Threadline.Server.Tempo.Grpc;
using Threadline.Storage;

namespace Threadline.Server.Hosting;

/// <summary>Registers the server's parts: meter, store, pipeline stages, queue, ingest services, receivers and endpoints.</summary>
internal static class ThreadlineServices
{
    /// <summary>The name of the server's <see cref="Meter"/>, as <c>dotnet-counters</c> and the like see it.</summary>
    public const string MeterName = "Threadline.Server";

    public static void Add(IServiceCollection services, ThreadlineOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<ServerReadiness>();

        // One meter per server (not a static one), so servers sharing a process keep their own numbers.
        services.AddSingleton(_ => new Meter(MeterName));
        services.AddSingleton(provider => new MetricsCollector(provider.GetRequiredService<Meter>()));
        services.AddSingleton(provider => new ReceiverMetrics(provider.GetRequiredService<Meter>()));
        services.AddSingleton(provider => new DroppedSpans(provider.GetRequiredService<Meter>()));

        StorageEngines.Register(services, options.Storage);
        services.AddSingleton(provider => CreateQueue(provider, options));

        var maxBody = options.Receivers.MaxRequestBodyBytes;
        services.AddGrpc(grpc =>
        {
            // The limit covers the message on the wire and, through the provider, after gzip.
            grpc.MaxReceiveMessageSize = maxBody;
            grpc.CompressionProviders = [new BoundedGzipProvider(maxBody)];
            // Its catch-all for unknown services would match every two-segment path and turn a wrong
            // HTTP method on /v1/traces into 404; WrongPortResponder answers unknown methods instead.
            grpc.IgnoreUnknownServices = true;
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<OtlpTraceGrpcService>, OtlpTraceGrpcService.MethodProvider>());
        services.AddSingleton(provider => new OtlpTraceGrpcService(CreateIngest(provider, options, ReceiverMetrics.OtlpGrpc)));
        services.AddSingleton(provider => new GrpcCallAccounting(CreateIngest(provider, options, ReceiverMetrics.OtlpGrpc)));
        services.AddSingleton(provider => new OtlpHttpTraceReceiver(CreateIngest(provider, options, ReceiverMetrics.OtlpHttp), maxBody));
        services.AddSingleton(provider => new ZipkinSpansReceiver(CreateIngest(provider, options, ReceiverMetrics.Zipkin), maxBody));

        services.AddSingleton<TraceSearchService>();
        services.AddSingleton<TraceEndpoint>();
        services.AddSingleton<SearchEndpoint>();
        services.AddSingleton<CatalogEndpoints>();
        services.AddSingleton<StatusEndpoint>();
        services.AddSingleton<MetricsEndpoint>();
        services.AddSingleton<HealthEndpoints>();

        // TraceQL, and the APIs that speak it: Tempo's (HTTP and gRPC on its port) and the native one.
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new TraceQLOptions());
        services.TryAddSingleton<ITraceQLEngine>(provider => new TraceQLEngine(
            provider.GetRequiredService<ITraceStore>(), provider.GetRequiredService<TraceQLOptions>(), provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<TempoQueryService>();
        services.AddSingleton<TempoEndpoints>();
        services.AddSingleton<TraceQLEndpoints>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<TempoStreamingQuerierService>, TempoStreamingQuerierService.MethodProvider>());
        services.AddSingleton<TempoStreamingQuerierService>();

        // aggregate analyses
        services.AddSingleton(_ => new NamingHealthDetector());
        services.AddSingleton<ServiceGraphService>();
        services.AddSingleton<RedService>();
        services.AddSingleton<AggregateAnalysisEndpoints>();
    }

    /// <summary>The pipeline, built back to front: limits, then the store writer (or the decode-only discarder).</summary>
    private static IngestQueue CreateQueue(IServiceProvider provider, ThreadlineOptions options)
    {
        var meter = provider.GetRequiredService<Meter>();
        // The collector must hear the instruments from their creation on.
        provider.GetRequiredService<MetricsCollector>();
        var dropped = provider.GetRequiredService<DroppedSpans>();

        IBatchConsumer last;
        if (options.Ingest.Mode == IngestOptions.DecodeOnlyMode)
        {
            last = new DecodeOnlyDiscarder(dropped);
        }
        else
        {
            var store = provider.GetRequiredService<ITraceStore>();
            (store as IStoreMetrics)?.PublishInstruments(meter);
            last = new StoreWriter(store, meter);
            last = new NamingHealthObserver(last, provider.GetRequiredService<NamingHealthDetector>()); // aggregate analyses
        }
        var limits = new SpanLimitsStage(options.Limits, last, dropped, meter);
        return new IngestQueue(limits, new IngestQueueOptions { MaxQueuedSpans = options.Ingest.MaxQueuedSpans, Workers = options.Ingest.Workers }, meter);
    }

    private static TraceIngestService CreateIngest(IServiceProvider provider, ThreadlineOptions options, string protocol) => new(
        provider.GetRequiredService<IngestQueue>(),
        protocol,
        provider.GetRequiredService<ReceiverMetrics>(),
        provider.GetRequiredService<DroppedSpans>(),
        TimeSpan.FromSeconds(options.Ingest.RetryAfterSeconds),
        provider.GetRequiredService<ILogger<TraceIngestService>>());
}
