using Microsoft.Extensions.DependencyInjection;
using Threadline.Server.Hosting;
using Threadline.Server.Options;

namespace Threadline.IntegrationTests;

/// <summary>The real backend on free loopback ports, with a client for its native API.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly ThreadlineServer _server;

    private TestServer(ThreadlineServer server)
    {
        _server = server;
        Api = new NativeApiClient(server.ApiEndpoint);
    }

    public Uri OtlpGrpcEndpoint => _server.OtlpGrpcEndpoint;
    public Uri OtlpHttpEndpoint => _server.OtlpHttpEndpoint;
    public Uri ZipkinEndpoint => _server.ZipkinEndpoint;
    public Uri ApiEndpoint => _server.ApiEndpoint;
    public IServiceProvider Services => _server.Services;
    public NativeApiClient Api { get; }

    public static async Task<TestServer> StartAsync(Action<ThreadlineOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var options = new ThreadlineOptions();
        // In memory: these servers share a working directory, and most tests are not about storage.
        options.Storage.Engine = "memory";
        options.Receivers.OtlpGrpcPort = 0;
        options.Receivers.OtlpHttpPort = 0;
        options.Receivers.ZipkinPort = 0;
        options.Api.Port = 0;
        options.Tempo.Port = 0;
        configure?.Invoke(options);
        return new TestServer(await ThreadlineServer.StartAsync(options, services));
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await _server.DisposeAsync();
    }
}
