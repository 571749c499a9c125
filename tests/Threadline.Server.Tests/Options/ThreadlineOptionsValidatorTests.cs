using Threadline.Server.Options;

namespace Threadline.Server.Tests.Options;

public sealed class ThreadlineOptionsValidatorTests
{
    [Fact]
    public void Defaults_are_valid() => Assert.Empty(ThreadlineOptionsValidator.Validate(new ThreadlineOptions()));

    [Theory]
    [InlineData("localhost")]
    [InlineData("")]
    [InlineData("300.1.1.1")]
    public void Listen_address_must_be_an_ip_address(string address)
    {
        var failure = Assert.Single(ThreadlineOptionsValidator.Validate(new ThreadlineOptions { ListenAddress = address }));
        Assert.StartsWith("Threadline:ListenAddress must be an IP address", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("::")]
    [InlineData("0.0.0.0")]
    [InlineData("::1")]
    public void Wildcard_and_ipv6_addresses_are_accepted(string address) =>
        Assert.Empty(ThreadlineOptionsValidator.Validate(new ThreadlineOptions { ListenAddress = address }));

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var options = new ThreadlineOptions();
        options.Receivers.OtlpGrpcPort = -1;
        options.Api.Port = 65536;
        options.Receivers.MaxRequestBodyBytes = 10;
        options.Ingest.MaxQueuedSpans = 0;
        options.Ingest.Workers = 0;
        options.Ingest.RetryAfterSeconds = 0;
        options.Storage.Engine = "cassandra";
        options.Storage.Memory.MaxSpans = 0;

        var failures = ThreadlineOptionsValidator.Validate(options);

        Assert.Equal(8, failures.Count);
        Assert.Contains("Threadline:Receivers:OtlpGrpcPort must be 0-65535 (0 picks a free port), got -1.", failures);
        Assert.Contains("Threadline:Api:Port must be 0-65535 (0 picks a free port), got 65536.", failures);
        Assert.Contains(failures, f => f.StartsWith("Threadline:Receivers:MaxRequestBodyBytes must be between 1024", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Threadline:Ingest:MaxQueuedSpans", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Threadline:Ingest:Workers", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Threadline:Ingest:RetryAfterSeconds", StringComparison.Ordinal));
        Assert.Contains("Threadline:Storage:Engine must be one of: embedded, memory, clickhouse; got 'cassandra'.", failures);
        Assert.Contains(failures, f => f.StartsWith("Threadline:Storage:Memory:MaxSpans", StringComparison.Ordinal));
    }

    [Fact]
    public void Two_listeners_on_one_port_are_refused_but_many_ephemeral_ports_are_fine()
    {
        var options = new ThreadlineOptions();
        options.Receivers.ZipkinPort = options.Receivers.OtlpHttpPort;
        Assert.Contains(ThreadlineOptionsValidator.Validate(options), f => f.Contains("are all set to port 4318", StringComparison.Ordinal));

        options.Receivers.ZipkinPort = 0;
        options.Receivers.OtlpHttpPort = 0;
        Assert.Empty(ThreadlineOptionsValidator.Validate(options));
    }
}
