using System.CommandLine;
using Threadline.CommandLine;
using Threadline.Sdk.Export.Otlp;

namespace Threadline.Demo.CommandLine;

/// <summary>
/// <c>threadline-demo tracecontext</c>: the service the official W3C Trace Context test suite
/// (w3c/trace-context, test/test.py) is run against, traced with Threadline.Sdk.
/// </summary>
internal static class TraceContextCommand
{
    public const int DefaultPort = 5000;

    public static Command Create()
    {
        var port = DemoCommandOptions.Port(DemoServiceCommandLine.PortOption, $"HTTP port on 127.0.0.1 (default {DefaultPort}; 0 picks a free one).");
        port.DefaultValueFactory = _ => DefaultPort;
        var otlpEndpoint = DemoCommandOptions.OtlpEndpoint("Where its spans are exported.");
        var otlpProtocol = DemoCommandOptions.OtlpProtocol();

        var command = new Command(DemoServiceNames.TraceContext, "Run the W3C Trace Context test service: POST /test takes the suite's [{\"url\": …, \"arguments\": […]}] and calls each URL (on this machine only). Run `python test.py http://127.0.0.1:5000/test` from w3c/trace-context against it.")
        {
            port, otlpEndpoint, otlpProtocol,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = new DemoServiceOptions
            {
                Port = parseResult.GetValue(port),
                OtlpEndpoint = parseResult.GetValue(otlpEndpoint)!,
                OtlpProtocol = parseResult.GetValue(otlpProtocol) ?? OtlpExportProtocol.Grpc,
            };
            await DemoService.RunAsync(DemoServiceNames.TraceContext, options, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
