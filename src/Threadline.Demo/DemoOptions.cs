using Threadline.Sdk.Export.Otlp;

namespace Threadline.Demo;

/// <summary>What <see cref="DemoLauncher"/> starts and how much traffic it sends.</summary>
public sealed class DemoOptions
{
    /// <summary>Where every service exports its spans. Default <c>http://127.0.0.1:4317</c>.</summary>
    public Uri OtlpEndpoint { get; set; } = DemoServiceOptions.DefaultOtlpEndpoint;

    /// <summary>The OTLP transport the services use. Default gRPC.</summary>
    public OtlpExportProtocol OtlpProtocol { get; set; } = OtlpExportProtocol.Grpc;

    /// <summary>The highest <see cref="RequestsPerSecond"/>: more would measure the machine, not show a demo.</summary>
    public const double MaxRequestsPerSecond = 1000;

    /// <summary>Average checkouts per second; arrivals are random (Poisson), as real users are. Default 5.</summary>
    public double RequestsPerSecond { get; set; } = 5;

    /// <summary>Stop sending after this long; null sends until the launcher is disposed.</summary>
    public TimeSpan? MaxDuration { get; set; }

    /// <summary>Stop sending after this many checkouts; null sends until the launcher is disposed.</summary>
    public long? MaxRequests { get; set; }

    /// <summary>
    /// The share of checkouts paid with a card the provider declines (error status and an exception
    /// event in payment-service). Spread evenly at random: one in each run of 1/ratio checkouts. Default 0.03.
    /// </summary>
    public double DeclinedPaymentRatio { get; set; } = 0.03;

    /// <summary>The share of checkouts that are bulk orders, which take inventory's slow query. Default 0.05.</summary>
    public double SlowInventoryRatio { get; set; } = 0.05;

    /// <summary>
    /// The <c>threadline-demo</c> program that runs the services (the apphost, or <c>threadline-demo.dll</c>,
    /// which runs under <c>dotnet</c>); null means the program running now. Tests point it at the demo's build output.
    /// </summary>
    public string? ExecutablePath { get; set; }

    /// <summary>How long starting all services may take. Default 60 seconds (a cold start on a busy machine is slow).</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long disposing waits for services to stop and flush their spans before killing them. Default 15 seconds.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Receives the services' own warnings and errors, one line each, prefixed with the service name. Default standard error.</summary>
    public TextWriter? Log { get; set; }

    /// <summary>The first problem with these options, or null when they are usable.</summary>
    public string? Validate() =>
        !OtlpEndpoint.IsAbsoluteUri ? "OtlpEndpoint must be an absolute URL, e.g. http://127.0.0.1:4317."
        : !(RequestsPerSecond > 0 && RequestsPerSecond <= MaxRequestsPerSecond) ? $"RequestsPerSecond must be above 0 and at most {MaxRequestsPerSecond}."
        : MaxDuration is { } duration && duration <= TimeSpan.Zero ? "MaxDuration must be positive."
        : MaxRequests is < 1 ? "MaxRequests must be at least 1."
        : DeclinedPaymentRatio is < 0 or > 1 || double.IsNaN(DeclinedPaymentRatio) ? "DeclinedPaymentRatio must be between 0 and 1."
        : SlowInventoryRatio is < 0 or > 1 || double.IsNaN(SlowInventoryRatio) ? "SlowInventoryRatio must be between 0 and 1."
        : StartTimeout <= TimeSpan.Zero || StopTimeout <= TimeSpan.Zero ? "StartTimeout and StopTimeout must be positive."
        : null;
}
