using Grpc.AspNetCore.Server.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Threadline.Pipeline;
using Threadline.Query.Search;
using Threadline.Server.Api;
using Threadline.Server.Ingest;
using Threadline.Server.Options;
using Threadline.Server.Receivers.Grpc;
using Threadline.Server.Receivers.Grpc.AspNetCore;
using Threadline.Server.Receivers.Http;
using Threadline.Server.Receivers.Zipkin;
using Threadline.Storage;
using Threadline.Storage.Memory;

namespace Threadline.Server.Hosting;

/// <summary>Registers the server's parts: store, queue, ingest service, receivers and API endpoints.</summary>
internal static class ThreadlineServices
{
    public static void Add(IServiceCollection services, ThreadlineOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<ServerReadiness>();
        services.AddSingleton<ReceiverStatistics>();

        services.AddSingleton<ITraceStore>(_ => CreateStore(options.Storage));
        services.AddSingleton(provider => new IngestQueue(
            provider.GetRequiredService<ITraceStore>(),
            new IngestQueueOptions { MaxQueuedSpans = options.Ingest.MaxQueuedSpans, Workers = options.Ingest.Workers }));
        services.AddSingleton(provider => new TraceIngestService(
            provider.GetRequiredService<IngestQueue>(),
            provider.GetRequiredService<ReceiverStatistics>(),
            TimeSpan.FromSeconds(options.Ingest.RetryAfterSeconds),
            provider.GetRequiredService<ILogger<TraceIngestService>>(),
            decodeOnly: options.Ingest.Mode == IngestOptions.DecodeOnlyMode));

        var maxBody = options.Receivers.MaxRequestBodyBytes;
        services.AddSingleton(provider => new OtlpGrpcTraceReceiver(provider.GetRequiredService<TraceIngestService>(), maxBody));
        if (options.Receivers.UsesAspNetCoreGrpc)
        {
            services.AddGrpc(grpc => grpc.MaxReceiveMessageSize = maxBody);
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IServiceMethodProvider<OtlpTraceGrpcService>, OtlpTraceGrpcService.MethodProvider>());
            services.AddSingleton<OtlpTraceGrpcService>();
        }
        services.AddSingleton(provider => new OtlpHttpTraceReceiver(provider.GetRequiredService<TraceIngestService>(), maxBody));
        services.AddSingleton(provider => new ZipkinSpansReceiver(provider.GetRequiredService<TraceIngestService>(), maxBody));

        services.AddSingleton<TraceSearchService>();
        services.AddSingleton<TraceEndpoint>();
        services.AddSingleton<SearchEndpoint>();
        services.AddSingleton<CatalogEndpoints>();
        services.AddSingleton<StatusEndpoint>();
        services.AddSingleton<HealthEndpoints>();
    }

    private static ITraceStore CreateStore(StorageOptions storage) => storage.Engine.ToLowerInvariant() switch
    {
        StorageOptions.MemoryEngine => new MemoryTraceStore(new MemoryStoreOptions { MaxSpans = storage.Memory.MaxSpans }),
        // Validation already refused every other name; this guards a caller that skipped it.
        _ => throw new InvalidOperationException($"Storage engine '{storage.Engine}' is not supported."),
    };
}
