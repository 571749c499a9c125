using System.Globalization;
using Threadline.CommandLine;
using Threadline.Demo.Hosting;

namespace Threadline.Demo.CommandLine;

/// <summary>
/// The whole demo from the command line: starts it, says where everything is, prints the traffic
/// every few seconds, and stops it on Ctrl+C, when its budget is spent, or (supervised) when
/// standard input ends.
/// </summary>
internal static class DemoRun
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(DemoOptions options, bool supervised, CancellationToken cancellationToken)
    {
        // Supervised (threadline serve --demo), the parent closing standard input means stop.
        var parent = supervised ? SupervisorLink.Open() : null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _ = parent?.Closed.ContinueWith(_ => stop.Cancel(), TaskScheduler.Default);

        Console.WriteLine($"Starting the checkout demo, exporting to {options.OtlpEndpoint} ({DemoServiceCommandLine.ProtocolName(options.OtlpProtocol)}) …");
        DemoLauncher demo;
        try
        {
            demo = await DemoLauncher.StartAsync(options, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return ExitCodes.Success;
        }
        catch (Exception exception) when (exception is InvalidOperationException or TimeoutException or FileNotFoundException)
        {
            await Console.Error.WriteLineAsync($"{DemoCommandLine.ProgramName}: the demo did not start: {exception.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
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
                    var tick = progress.WaitForNextTickAsync(stop.Token).AsTask();
                    if (await Task.WhenAny(tick, demo.TrafficCompleted).ConfigureAwait(false) == tick)
                    {
                        await tick.ConfigureAwait(false);
                        PrintTraffic(demo.Traffic);
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Ctrl+C, or the parent let go: stop below.
            }
            Console.WriteLine("Stopping the demo services (they export their last spans first) …");
        }
        PrintTraffic(demo.Traffic);
        return ExitCodes.Success;
    }

    private static void PrintTraffic(DemoTrafficStatistics traffic) =>
        Console.WriteLine($"  checkouts: {traffic.Sent} sent, {traffic.Confirmed} confirmed, {traffic.Declined} declined, {traffic.Failed} failed");
}
