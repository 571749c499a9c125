namespace Threadline.Cli.Load;

/// <summary>How the server answered one export request.</summary>
internal enum ExportOutcome
{
    Accepted,

    /// <summary>Back-pressure: HTTP 429/503, gRPC RESOURCE_EXHAUSTED/UNAVAILABLE.</summary>
    Refused,

    Failed,
}

/// <summary>One OTLP client of a load run, for one transport; shared by the run's workers.</summary>
internal interface IExportSender : IDisposable
{
    /// <exception cref="HttpRequestException">The request did not get an answer.</exception>
    Task<ExportOutcome> SendAsync(byte[] body, CancellationToken cancellationToken);
}
