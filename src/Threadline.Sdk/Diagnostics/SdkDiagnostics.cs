namespace Threadline.Sdk.Diagnostics;

/// <summary>
/// A session's channel to the user (see <see cref="SdkDiagnosticsOptions"/>): ignored settings and the
/// health of each exporter, written through one <see cref="DiagnosticsWriter"/>, or nowhere when off.
/// </summary>
internal sealed class SdkDiagnostics
{
    public static readonly SdkDiagnostics Off = new(null, TimeSpan.FromMinutes(1), TimeProvider.System);

    private readonly DiagnosticsWriter? _writer;
    private readonly TimeSpan _summaryInterval;
    private readonly TimeProvider _time;

    private SdkDiagnostics(DiagnosticsWriter? writer, TimeSpan summaryInterval, TimeProvider time)
    {
        _writer = writer;
        _summaryInterval = summaryInterval;
        _time = time;
    }

    public static SdkDiagnostics From(SdkDiagnosticsOptions options) =>
        options.Enabled ? new SdkDiagnostics(options.Writer ?? new StandardErrorWriter(), options.SummaryInterval, options.Time) : Off;

    /// <summary>A setting that could not be used; the message names it, its value, the accepted values and what applies instead.</summary>
    public void ConfigurationIgnored(string message) => _writer?.Warning(message);

    /// <summary>A reporter for one exporter's deliveries, or null when the messages are off.</summary>
    /// <param name="destination">Where the exporter sends, as the user configured it: endpoint and protocol.</param>
    public ExportHealthReporter? ExportHealth(string destination) =>
        _writer is null ? null : new ExportHealthReporter(_writer, destination, _summaryInterval, _time);
}
