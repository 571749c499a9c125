using System.CommandLine;
using System.Globalization;
using Threadline.Demo;

namespace Threadline.Cli;

/// <summary>
/// <c>threadline demo</c>: the checkout demo, six services as child processes on 127.0.0.1 exporting to
/// a Threadline backend, with steady traffic; and the hidden <c>demo-service</c> that runs one of them.
/// </summary>
internal static class DemoCommand
{
    private const int UsageExitCode = 2;
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(10);

    public static Command Create()
    {
        var otlpEndpoint = EndpointOption("Where the services export spans: a running `threadline serve` or any OTLP receiver. The demo's own traffic stays on 127.0.0.1.");
        var otlpProtocol = ProtocolOption();
        var rate = new Option<double>("--rate") { Description = "Average checkouts per second (at most 1000).", HelpName = "per-second", DefaultValueFactory = _ => 5 };
        var duration = new Option<double?>("--duration") { Description = "Stop after this many seconds; without it, run until Ctrl+C.", HelpName = "seconds" };
        var maxRequests = new Option<long?>("--max-requests") { Description = "Stop after this many checkouts.", HelpName = "count" };

        var command = new Command("demo", "Run the checkout demo: api-gateway, order, inventory, payment and notification services (and a fake third party) on 127.0.0.1, traced with Threadline.Sdk, with steady traffic.")
        {
            otlpEndpoint, otlpProtocol, rate, duration, maxRequests,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (!DemoServiceCommandLine.TryParseProtocol(parseResult.GetValue(otlpProtocol), out var protocol))
                return await UsageErrorAsync($"--otlp-protocol must be one of {string.Join(", ", DemoServiceCommandLine.ProtocolNames)}.").ConfigureAwait(false);
            var options = new DemoOptions
            {
                OtlpEndpoint = parseResult.GetValue(otlpEndpoint)!,
                OtlpProtocol = protocol,
                RequestsPerSecond = parseResult.GetValue(rate),
                MaxDuration = parseResult.GetValue(duration) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                MaxRequests = parseResult.GetValue(maxRequests),
            };
            if (options.Validate() is { } problem) return await UsageErrorAsync(problem).ConfigureAwait(false);
            return await RunDemoAsync(options, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    public static Command CreateServiceCommand()
    {
        var name = new Argument<string>("name") { Description = $"The service: {string.Join(", ", DemoServiceNames.All)}." };
        var port = new Option<int>(DemoServiceCommandLine.PortOption) { Description = "HTTP port on 127.0.0.1 (0 picks a free one).", HelpName = "port" };
        var queuePort = new Option<int>(DemoServiceCommandLine.QueuePortOption) { Description = "notification-service: the queue's TCP port on 127.0.0.1 (0 picks a free one).", HelpName = "port" };
        var otlpEndpoint = EndpointOption("Where spans are exported.");
        var otlpProtocol = ProtocolOption();
        var peers = new Option<string[]>(DemoServiceCommandLine.PeerOption)
        {
            Description = $"Where another service is, name=url (repeatable), e.g. {DemoServiceNames.OrderService}=http://127.0.0.1:5001 or {DemoEndpointNames.NotificationQueue}=tcp://127.0.0.1:5010. 127.0.0.1 only.",
            HelpName = "name=url",
            AllowMultipleArgumentsPerToken = false,
        };
        var supervised = new Option<bool>(DemoServiceCommandLine.SupervisedOption) { Description = "Run under `threadline demo` (handshake on standard input/output).", Hidden = true };

        var command = new Command(DemoServiceCommandLine.CommandName, "Run one demo service in this process, e.g. `tracecontext --port 5000` for the W3C Trace Context test suite.")
        {
            name, port, queuePort, otlpEndpoint, otlpProtocol, peers, supervised,
        };
        command.Hidden = true;
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (!DemoServiceCommandLine.TryParseProtocol(parseResult.GetValue(otlpProtocol), out var protocol))
                return await UsageErrorAsync($"--otlp-protocol must be one of {string.Join(", ", DemoServiceCommandLine.ProtocolNames)}.").ConfigureAwait(false);
            var options = new DemoServiceOptions
            {
                Port = parseResult.GetValue(port),
                QueuePort = parseResult.GetValue(queuePort),
                OtlpEndpoint = parseResult.GetValue(otlpEndpoint)!,
                OtlpProtocol = protocol,
                Supervised = parseResult.GetValue(supervised),
            };
            foreach (var peer in parseResult.GetValue(peers) ?? [])
            {
                if (!DemoServiceCommandLine.TryParsePeer(peer, out var peerName, out var address, out var problem))
                    return await UsageErrorAsync($"{DemoServiceCommandLine.PeerOption}: {problem}").ConfigureAwait(false);
                options.Peers[peerName] = address!;
            }
            var service = parseResult.GetValue(name)!;
            if (!DemoServiceNames.All.Contains(service))
                return await UsageErrorAsync($"there is no demo service '{service}'; the services are {string.Join(", ", DemoServiceNames.All)}.").ConfigureAwait(false);
            await DemoService.RunAsync(service, options, cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    // System.CommandLine has no URL parser of its own; this one says what was wrong.
    private static Option<Uri> EndpointOption(string description) => new(DemoServiceCommandLine.OtlpEndpointOption)
    {
        Description = description,
        HelpName = "url",
        DefaultValueFactory = _ => DemoServiceOptions.DefaultOtlpEndpoint,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (Uri.TryCreate(text, UriKind.Absolute, out var endpoint) && (endpoint.Scheme == Uri.UriSchemeHttp || endpoint.Scheme == Uri.UriSchemeHttps))
                return endpoint;
            result.AddError($"{DemoServiceCommandLine.OtlpEndpointOption} must be an http:// or https:// URL, e.g. {DemoServiceOptions.DefaultOtlpEndpoint}; got '{text}'.");
            return null;
        },
    };

    private static Option<string> ProtocolOption() => new(DemoServiceCommandLine.OtlpProtocolOption)
    {
        Description = $"OTLP transport: {string.Join(", ", DemoServiceCommandLine.ProtocolNames)}.",
        HelpName = "protocol",
        DefaultValueFactory = _ => "grpc",
    };

    private static async Task<int> RunDemoAsync(DemoOptions options, CancellationToken cancellationToken)
    {
        Console.WriteLine($"Starting the checkout demo, exporting to {options.OtlpEndpoint} ({DemoServiceCommandLine.ProtocolName(options.OtlpProtocol)}) …");
        DemoLauncher demo;
        try
        {
            demo = await DemoLauncher.StartAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception exception) when (exception is InvalidOperationException or TimeoutException or FileNotFoundException)
        {
            await Console.Error.WriteLineAsync("threadline demo: " + exception.Message).ConfigureAwait(false);
            return 1;
        }

        await using (demo.ConfigureAwait(false))
        {
            foreach (var service in demo.Services)
            {
                var endpoints = string.Join(", ", service.Endpoints.Values);
                Console.WriteLine($"  {service.Name,-22} pid {service.ProcessId,-7} {endpoints}");
            }
            Console.WriteLine($"Sending about {options.RequestsPerSecond.ToString(CultureInfo.InvariantCulture)} checkouts/s to {new Uri(demo.GatewayEndpoint, "/api/checkout")}; Ctrl+C stops.");

            using var progress = new PeriodicTimer(ProgressInterval);
            try
            {
                while (!demo.TrafficCompleted.IsCompleted)
                {
                    var tick = progress.WaitForNextTickAsync(cancellationToken).AsTask();
                    if (await Task.WhenAny(tick, demo.TrafficCompleted).ConfigureAwait(false) == tick)
                    {
                        await tick.ConfigureAwait(false);
                        PrintTraffic(demo.Traffic);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C: stop below.
            }
            Console.WriteLine("Stopping the demo services (they export their last spans first) …");
        }
        PrintTraffic(demo.Traffic);
        return 0;
    }

    private static void PrintTraffic(DemoTrafficStatistics traffic) =>
        Console.WriteLine($"  checkouts: {traffic.Sent} sent, {traffic.Confirmed} confirmed, {traffic.Declined} declined, {traffic.Failed} failed");

    private static async Task<int> UsageErrorAsync(string message)
    {
        await Console.Error.WriteLineAsync("threadline demo: " + message).ConfigureAwait(false);
        return UsageExitCode;
    }
}
