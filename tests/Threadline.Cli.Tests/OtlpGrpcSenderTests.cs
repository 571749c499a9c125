using Threadline.Cli.Load;
using Threadline.Server.Hosting;
using Threadline.Server.Options;

namespace Threadline.Cli.Tests;

/// <summary>loadgen's gRPC client against a real server.</summary>
public sealed class OtlpGrpcSenderTests
{
    private static Task<ThreadlineServer> StartAsync(int maxRequestBodyBytes = ReceiverOptions.DefaultMaxRequestBodyBytes)
    {
        var options = new ThreadlineOptions();
        options.Receivers.OtlpGrpcPort = 0;
        options.Receivers.OtlpHttpPort = 0;
        options.Receivers.ZipkinPort = 0;
        options.Api.Port = 0;
        options.Tempo.Port = 0;
        options.Receivers.MaxRequestBodyBytes = maxRequestBodyBytes;
        options.Ingest.Mode = IngestOptions.DecodeOnlyMode;
        return ThreadlineServer.StartAsync(options, cancellationToken: new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
    }

    [Fact]
    public async Task Export_is_accepted()
    {
        await using var server = await StartAsync();
        using var sender = new LoadTarget(LoadProtocol.Grpc, server.OtlpGrpcEndpoint).CreateSender(concurrency: 1);

        var outcome = await sender.SendAsync(new LoadRequestFactory(spansPerRequest: 10).NextBody(), CancellationToken.None);

        Assert.Equal(ExportOutcome.Accepted, outcome);
    }

    [Fact]
    public async Task Message_over_the_size_limit_is_counted_as_refused()
    {
        await using var server = await StartAsync(maxRequestBodyBytes: 1024);
        using var sender = new LoadTarget(LoadProtocol.Grpc, server.OtlpGrpcEndpoint).CreateSender(concurrency: 1);

        var outcome = await sender.SendAsync(new LoadRequestFactory(spansPerRequest: 100).NextBody(), CancellationToken.None);

        // RESOURCE_EXHAUSTED for a message over the size limit: refused, as back-pressure is.
        Assert.Equal(ExportOutcome.Refused, outcome);
    }

    [Theory]
    [InlineData("0", nameof(ExportOutcome.Accepted))]
    [InlineData("8", nameof(ExportOutcome.Refused))]
    [InlineData("14", nameof(ExportOutcome.Refused))]
    [InlineData("3", nameof(ExportOutcome.Failed))]
    [InlineData(null, nameof(ExportOutcome.Failed))]
    [InlineData("x", nameof(ExportOutcome.Failed))]
    public void Grpc_status_maps_to_an_outcome(string? grpcStatus, string expected) =>
        Assert.Equal(Enum.Parse<ExportOutcome>(expected), OtlpGrpcSender.Outcome(grpcStatus));
}
