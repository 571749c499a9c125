using Microsoft.Extensions.DependencyInjection;
using Threadline.Server.Hosting;
using Threadline.Server.Options;
using Threadline.Storage;

namespace Threadline.Server.Tests.Infrastructure;

/// <summary>Starts real servers on free ports, so tests run in parallel without clashing.</summary>
internal static class TestServer
{
    public static ThreadlineOptions EphemeralOptions()
    {
        var options = new ThreadlineOptions();
        // In memory: these servers share a working directory, and most tests are not about storage.
        options.Storage.Engine = "memory";
        options.Receivers.OtlpGrpcPort = 0;
        options.Receivers.OtlpHttpPort = 0;
        options.Receivers.ZipkinPort = 0;
        options.Api.Port = 0;
        options.Tempo.Port = 0;
        return options;
    }

    public static Task<ThreadlineServer> StartAsync(Action<ThreadlineOptions>? configure = null, ITraceStore? store = null)
    {
        var options = EphemeralOptions();
        configure?.Invoke(options);
        return ThreadlineServer.StartAsync(options,
            services =>
            {
                if (store is not null) services.AddSingleton(store);
            },
            TestContext.Timeout);
    }
}

/// <summary>Shared bits every test uses.</summary>
internal static class TestContext
{
    /// <summary>
    /// A bound on waiting for a signal that should come at once, so a broken test fails instead
    /// of hanging. Never a delay: nothing waits for it to pass.
    /// </summary>
    public static readonly TimeSpan SignalTimeout = TimeSpan.FromSeconds(30);

    public static CancellationToken Timeout => new CancellationTokenSource(SignalTimeout).Token;

    /// <summary>One client for every test, as an application would keep one.</summary>
    public static readonly HttpClient Http = new(new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.None })
    {
        Timeout = SignalTimeout,
    };
}
