using Threadline.Server.Hosting;
using Threadline.Server.Options;

namespace Threadline.Cli.Tests.Query;

/// <summary>A real server in the test's process, on free ports, for the query commands to talk to.</summary>
internal static class InProcessServer
{
    public static Task<ThreadlineServer> StartAsync()
    {
        var options = new ThreadlineOptions();
        // In memory: tests share a working directory.
        options.Storage.Engine = "memory";
        options.Tempo.Port = 0;
        options.Receivers.OtlpGrpcPort = 0;
        options.Receivers.OtlpHttpPort = 0;
        options.Receivers.ZipkinPort = 0;
        options.Api.Port = 0;
        return ThreadlineServer.StartAsync(options);
    }
}
