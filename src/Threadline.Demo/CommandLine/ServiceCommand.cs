using System.CommandLine;
using Threadline.CommandLine;
using Threadline.Sdk.Export.Otlp;

namespace Threadline.Demo.CommandLine;

/// <summary>
/// <c>threadline-demo service NAME</c>: one checkout service in this process. The demo starts each of
/// its services this way (supervised); run by hand, it serves until Ctrl+C.
/// </summary>
internal static class ServiceCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = $"the service to run: one of {string.Join(", ", DemoServiceNames.Checkout)}." };
        name.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } value && !DemoServiceNames.Checkout.Contains(value))
                result.AddError($"<name> must be one of {string.Join(", ", DemoServiceNames.Checkout)}; got '{value}'");
        });
        var port = DemoCommandOptions.Port(DemoServiceCommandLine.PortOption, "HTTP port on 127.0.0.1 (default 0, a free one).");
        var queuePort = DemoCommandOptions.Port(DemoServiceCommandLine.QueuePortOption, "notification-service: the queue's TCP port on 127.0.0.1 (default 0, a free one).");
        var otlpEndpoint = DemoCommandOptions.OtlpEndpoint("Where spans are exported.");
        var otlpProtocol = DemoCommandOptions.OtlpProtocol();
        var peers = new Option<string[]>(DemoServiceCommandLine.PeerOption)
        {
            Description = $"Where another service is, name=url (repeatable), e.g. {DemoServiceNames.OrderService}=http://127.0.0.1:5001 or {DemoEndpointNames.NotificationQueue}=tcp://127.0.0.1:5010. 127.0.0.1 only.",
            HelpName = "name=url",
            AllowMultipleArgumentsPerToken = false,
        };
        peers.Validators.Add(result =>
        {
            foreach (var peer in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (!DemoServiceCommandLine.TryParsePeer(peer, out _, out _, out var problem))
                    result.AddError($"{DemoServiceCommandLine.PeerOption} {problem}");
            }
        });
        var supervised = new Option<bool>(DemoServiceCommandLine.SupervisedOption) { Description = "Run under threadline-demo (handshake on standard input/output).", Hidden = true };

        var command = new Command(DemoServiceCommandLine.CommandName, "Run one checkout service in this process, on 127.0.0.1, until Ctrl+C; give it its peers with --peer.")
        {
            name, port, queuePort, otlpEndpoint, otlpProtocol, peers, supervised,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = new DemoServiceOptions
            {
                Port = parseResult.GetValue(port),
                QueuePort = parseResult.GetValue(queuePort),
                OtlpEndpoint = parseResult.GetValue(otlpEndpoint)!,
                OtlpProtocol = parseResult.GetValue(otlpProtocol) ?? OtlpExportProtocol.Grpc,
                Supervised = parseResult.GetValue(supervised),
            };
            foreach (var peer in parseResult.GetValue(peers) ?? [])
            {
                // The validator above let only good peers through.
                if (DemoServiceCommandLine.TryParsePeer(peer, out var peerName, out var address, out _)) options.Peers[peerName] = address!;
            }
            await DemoService.RunAsync(parseResult.GetValue(name)!, options, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
