using Threadline.Demo.Hosting;
using Threadline.Demo.Traffic;

namespace Threadline.Demo;

/// <summary>
/// The checkout demo, running: each service in its own child process (so each reports its own
/// service.name), all on 127.0.0.1, exporting to <see cref="DemoOptions.OtlpEndpoint"/>, with steady
/// checkout traffic. Dispose it to stop the traffic and the services; the services export their last
/// spans before they exit.
/// </summary>
/// <example>
/// <code>
/// await using var demo = await DemoLauncher.StartAsync(new DemoOptions { OtlpEndpoint = new Uri("http://127.0.0.1:4317") }, ct);
/// await demo.TrafficCompleted.WaitAsync(ct);
/// </code>
/// </example>
public sealed class DemoLauncher : IAsyncDisposable
{
    private readonly IReadOnlyList<ServiceProcess> _processes;
    private readonly TrafficDriver _traffic;
    private readonly TimeSpan _stopTimeout;
    private readonly Lock _disposeLock = new();
    private Task? _disposing;

    private DemoLauncher(IReadOnlyList<ServiceProcess> processes, IReadOnlyList<DemoServiceInfo> services, Uri gateway, TrafficDriver traffic, TimeSpan stopTimeout)
    {
        _processes = processes;
        Services = services;
        GatewayEndpoint = gateway;
        _traffic = traffic;
        _stopTimeout = stopTimeout;
    }

    /// <summary>The running services.</summary>
    public IReadOnlyList<DemoServiceInfo> Services { get; }

    /// <summary>api-gateway's address; <c>POST /api/checkout</c> there places an order.</summary>
    public Uri GatewayEndpoint { get; }

    /// <summary>The traffic sent so far and its outcomes.</summary>
    public DemoTrafficStatistics Traffic => _traffic.Statistics;

    /// <summary>
    /// Completes when the traffic budget (<see cref="DemoOptions.MaxRequests"/>,
    /// <see cref="DemoOptions.MaxDuration"/>) is spent and every checkout has its answer; never, without a budget,
    /// until the launcher is disposed.
    /// </summary>
    public Task TrafficCompleted => _traffic.Completion;

    /// <summary>True once every service process has exited.</summary>
    public bool AllServicesExited => _processes.All(p => p.HasExited);

    /// <summary>
    /// Starts every service as a child process, waits until all are ready (or
    /// <see cref="DemoOptions.StartTimeout"/> passes), then starts the traffic.
    /// </summary>
    /// <exception cref="ArgumentException">The options are not usable.</exception>
    /// <exception cref="InvalidOperationException">A service exited during start-up; the message has its last error lines.</exception>
    /// <exception cref="TimeoutException">The services were not ready in time.</exception>
    public static async Task<DemoLauncher> StartAsync(DemoOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { } problem) throw new ArgumentException(problem, nameof(options));
        var log = TextWriter.Synchronized(options.Log ?? Console.Error);
        var exportFailures = new ExportFailureLog(log, options.OtlpEndpoint, TimeProvider.System);

        var processes = new List<ServiceProcess>();
        using var startup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        startup.CancelAfter(options.StartTimeout);
        try
        {
            // All at once: each binds a free port, so none waits for another's address before listening.
            foreach (var name in DemoServiceNames.Checkout) processes.Add(ServiceProcess.Start(name, options, log, exportFailures));

            var bound = await Task.WhenAll(processes.Select(p => p.Listening.WaitAsync(startup.Token))).ConfigureAwait(false);
            var endpoints = bound.SelectMany(e => e).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
            await Task.WhenAll(processes.Select(p => p.SendPeersAsync(endpoints, startup.Token))).ConfigureAwait(false);
            await Task.WhenAll(processes.Select(p => p.Ready.WaitAsync(startup.Token))).ConfigureAwait(false);

            var services = processes.Select((p, i) => new DemoServiceInfo(p.Name, p.Id, bound[i])).ToList();
            var gateway = endpoints[DemoServiceNames.ApiGateway];
            return new DemoLauncher(processes, services, gateway, TrafficDriver.Start(gateway, options), options.StopTimeout);
        }
        catch (Exception exception)
        {
            await Task.WhenAll(processes.Select(p => p.StopAsync(options.StopTimeout))).ConfigureAwait(false);
            if (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                var waiting = processes.Where(p => !p.Ready.IsCompleted).Select(p => p.Name);
                throw new TimeoutException($"The demo services were not ready within {options.StartTimeout.TotalSeconds:0} s; still starting: {string.Join(", ", waiting)}.", exception);
            }
            throw;
        }
    }

    /// <summary>Stops the traffic, then the services (gracefully, so they export their spans; killed after <see cref="DemoOptions.StopTimeout"/>).</summary>
    public ValueTask DisposeAsync()
    {
        lock (_disposeLock) _disposing ??= StopAsync();
        return new ValueTask(_disposing);
    }

    private async Task StopAsync()
    {
        await _traffic.DisposeAsync().ConfigureAwait(false);
        await Task.WhenAll(_processes.Select(p => p.StopAsync(_stopTimeout))).ConfigureAwait(false);
    }
}
