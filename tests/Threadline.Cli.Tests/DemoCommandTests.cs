using System.Net;
using System.Net.Sockets;

namespace Threadline.Cli.Tests;

/// <summary>
/// <c>threadline demo</c> runs the threadline-demo program placed beside threadline by the build:
/// its help, its usage errors (named as the command the user typed) and its warnings reach the user.
/// </summary>
public sealed class DemoCommandTests
{
    [Theory]
    [InlineData("unknown option", "threadline demo: unknown option '--speed'", "--speed", "5")]
    [InlineData("bad value type", "threadline demo: --rate takes a number; got 'fast'", "--rate", "fast")]
    [InlineData("out of range", "threadline demo: --rate must be above 0 and at most 1000 checkouts per second; got 0", "--rate", "0")]
    [InlineData("bad choice", "threadline demo: --otlp-protocol must be one of grpc, http/protobuf, http/json; got 'udp'", "--otlp-protocol", "udp")]
    [InlineData("unknown service", "threadline demo service: <name> must be one of api-gateway, order-service, inventory-service, payment-service, notification-service, third-party; got 'cart'", "service", "cart")]
    public async Task A_mistake_is_one_line_naming_the_flag_with_exit_code_2(string mistake, string expected, params string[] arguments)
    {
        var (exitCode, output, error) = await ThreadlineProcess.RunAsync(["demo", .. arguments]);

        Assert.True(exitCode == 2, $"{mistake}: exit code {exitCode}");
        Assert.Equal("", output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("RequestsPerSecond", line, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "demo", "--help" }, new[] { "--otlp-endpoint", "--rate", "--duration", "--max-requests", "service <name>", "tracecontext" })]
    [InlineData(new[] { "help", "demo" }, new[] { "--otlp-endpoint", "--rate" })]
    [InlineData(new[] { "demo", "service", "--help" }, new[] { "<name>", "api-gateway", "--port", "--peer" })]
    [InlineData(new[] { "demo", "tracecontext", "--help" }, new[] { "W3C Trace Context", "--port", "5000" })]
    public async Task Help_describes_the_demo_and_its_services(string[] arguments, string[] mentions)
    {
        var (exitCode, output, error) = await ThreadlineProcess.RunAsync(arguments);

        Assert.Equal(0, exitCode);
        Assert.Equal("", error);
        Assert.All(mentions, mention => Assert.Contains(mention, output, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Demo_exporting_to_a_closed_port_warns_naming_the_endpoint()
    {
        var endpoint = $"http://127.0.0.1:{ClosedPort()}/";
        await using var demo = ThreadlineProcess.Start("demo", "--otlp-endpoint", endpoint, "--rate", "20");

        // The services' exporters give up on a batch after their 10 s timeout; the supervisor says so at once.
        var warning = await demo.WaitForErrorAsync(line => line.StartsWith("warning:", StringComparison.Ordinal), TimeSpan.FromSeconds(90));

        Assert.Contains($"spans are not reaching {endpoint}", warning, StringComparison.Ordinal);
        Assert.Contains("Connection refused", warning, StringComparison.Ordinal);
    }

    private static int ClosedPort()
    {
        // A port that was free a moment ago and that nothing listens on now.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
