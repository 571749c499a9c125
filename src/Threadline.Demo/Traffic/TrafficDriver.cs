using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Threadline.Demo.Services;

namespace Threadline.Demo.Traffic;

/// <summary>
/// Shoppers: checkouts against api-gateway at random (Poisson) arrival times averaging the configured
/// rate, until the request or time budget is spent or <see cref="StopAsync"/> is called.
/// </summary>
internal sealed class TrafficDriver : IAsyncDisposable
{
    private const int MaxInFlight = 64;

    private readonly Uri _checkout;
    private readonly DemoOptions _options;
    private readonly CheckoutRequestFactory _requests;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _inFlight = new(MaxInFlight, MaxInFlight);
    private readonly HttpClient _http;
    private long _sent;
    private long _confirmed;
    private long _declined;
    private long _failed;

    private TrafficDriver(Uri gateway, DemoOptions options)
    {
        _checkout = new Uri(gateway, "/api/checkout");
        _options = options;
        _requests = new CheckoutRequestFactory(options);
        // A shopper's browser sends no trace context: every checkout trace starts at the gateway, even
        // when this process is itself traced.
        _http = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null, PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        Completion = Task.Run(RunAsync);
    }

    /// <summary>Completes when the budget is spent (or the driver was stopped) and every sent checkout has its answer.</summary>
    public Task Completion { get; }

    public DemoTrafficStatistics Statistics => new(
        Interlocked.Read(ref _sent), Interlocked.Read(ref _confirmed), Interlocked.Read(ref _declined), Interlocked.Read(ref _failed));

    public static TrafficDriver Start(Uri gateway, DemoOptions options) => new(gateway, options);

    /// <summary>Stops sending, abandons the checkouts in flight, and waits for the driver to finish.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Completion.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var stopping = _stop.Token;
        var clock = Stopwatch.StartNew();
        var pending = new List<Task>();
        try
        {
            while (!stopping.IsCancellationRequested && HasBudget(clock.Elapsed))
            {
                await Task.Delay(NextArrivalGap(), stopping).ConfigureAwait(false);
                if (!HasBudget(clock.Elapsed)) break;
                await _inFlight.WaitAsync(stopping).ConfigureAwait(false);
                Interlocked.Increment(ref _sent);
                pending.Add(CheckoutAsync(_requests.Next(), stopping));
                pending.RemoveAll(task => task.IsCompleted);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopped: wait for what is in flight (each call gives up on the same token).
        }
        await Task.WhenAll(pending).ConfigureAwait(false);
    }

    private bool HasBudget(TimeSpan elapsed) =>
        (_options.MaxRequests is not { } maxRequests || Interlocked.Read(ref _sent) < maxRequests)
        && (_options.MaxDuration is not { } maxDuration || elapsed < maxDuration);

    private TimeSpan NextArrivalGap() =>
        TimeSpan.FromSeconds(-Math.Log(1 - Random.Shared.NextDouble()) / _options.RequestsPerSecond);

    private async Task CheckoutAsync(CheckoutRequest request, CancellationToken stopping)
    {
        try
        {
            using var response = await _http.PostAsJsonAsync(_checkout, request, ServiceCalls.Json, stopping).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.OK) Interlocked.Increment(ref _confirmed);
            else if (response.StatusCode == HttpStatusCode.PaymentRequired) Interlocked.Increment(ref _declined);
            else Interlocked.Increment(ref _failed);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Abandoned on stop: neither an outcome nor a failure.
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            Interlocked.Increment(ref _failed);
        }
        finally
        {
            _inFlight.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _http.Dispose();
        _stop.Dispose();
        _inFlight.Dispose();
    }
}
