using System.CommandLine;
using System.Globalization;
using Threadline.CommandLine;
using Threadline.Sdk.Export.Otlp;

namespace Threadline.Demo.CommandLine;

/// <summary>
/// The <c>threadline-demo</c> command line (also run as <c>threadline demo</c>): with no command it
/// runs the whole checkout demo; <c>service</c> runs one of its services, <c>tracecontext</c> the W3C
/// Trace Context test service.
/// </summary>
internal static class DemoCommandLine
{
    /// <summary>The program's name, as its build output and the tool package name it.</summary>
    public const string ProgramName = "threadline-demo";

    /// <summary>Set by a program that runs this one for the user (<c>threadline demo</c>): the command to name in errors.</summary>
    public const string InvokedAsVariable = "THREADLINE_DEMO_INVOKED_AS";

    public static RootCommand Create()
    {
        var otlpEndpoint = DemoCommandOptions.OtlpEndpoint("Where the services export spans: a running `threadline serve` or any OTLP receiver. The demo's own traffic stays on 127.0.0.1.");
        var otlpProtocol = DemoCommandOptions.OtlpProtocol();
        var rate = new Option<double>("--rate")
        {
            Description = $"Average checkouts per second, above 0 and at most {DemoOptions.MaxRequestsPerSecond.ToString(CultureInfo.InvariantCulture)}.",
            HelpName = "per-second",
            DefaultValueFactory = _ => new DemoOptions().RequestsPerSecond,
        };
        rate.Require(value => value > 0 && value <= DemoOptions.MaxRequestsPerSecond, $"above 0 and at most {DemoOptions.MaxRequestsPerSecond.ToString(CultureInfo.InvariantCulture)} checkouts per second");
        var duration = new Option<double?>("--duration") { Description = "Stop after this many seconds (above 0); without it, run until Ctrl+C.", HelpName = "seconds" };
        duration.Require(seconds => seconds is null || (seconds > 0 && seconds <= TimeSpan.MaxValue.TotalSeconds), "a number of seconds above 0");
        var maxRequests = new Option<long?>("--max-requests") { Description = "Stop after this many checkouts (at least 1).", HelpName = "count" };
        maxRequests.Require(count => count is null or >= 1, "at least 1");
        var supervised = new Option<bool>("--supervised")
        {
            Description = "Run under another program (threadline serve --demo): stop when standard input ends.",
            Hidden = true,
        };

        var root = new RootCommand("The Threadline checkout demo: api-gateway, order, inventory, payment and notification services (and a fake third party) on 127.0.0.1, traced with Threadline.Sdk, with steady traffic. Also run as `threadline demo`.")
        {
            otlpEndpoint, otlpProtocol, rate, duration, maxRequests, supervised,
        };
        root.Subcommands.Add(ServiceCommand.Create());
        root.Subcommands.Add(TraceContextCommand.Create());
        root.SetAction((parseResult, cancellationToken) =>
        {
            var options = new DemoOptions
            {
                OtlpEndpoint = parseResult.GetValue(otlpEndpoint)!,
                OtlpProtocol = parseResult.GetValue(otlpProtocol) ?? OtlpExportProtocol.Grpc,
                RequestsPerSecond = parseResult.GetValue(rate),
                MaxDuration = parseResult.GetValue(duration) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                MaxRequests = parseResult.GetValue(maxRequests),
            };
            return DemoRun.RunAsync(options, parseResult.GetValue(supervised), cancellationToken);
        });
        return root;
    }
}
