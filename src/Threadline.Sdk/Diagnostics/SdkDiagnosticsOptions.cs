using Threadline.Sdk.Diagnostics;

namespace Threadline.Sdk;

/// <summary>
/// What the SDK tells you, unasked, when spans do not arrive: the first failed export (the endpoint,
/// the protocol, what went wrong and what to check), then a summary at most once per
/// <see cref="SummaryInterval"/> while exports keep failing, a note when export recovers, and every
/// environment variable it had to ignore. These go to the host's <c>ILogger</c> (category
/// <c>Threadline.Sdk</c>) when tracing is added with <c>AddThreadlineTracing</c>, and to standard error
/// otherwise.
/// </summary>
/// <remarks>
/// <c>THREADLINE_SDK_DIAGNOSTICS=off</c> turns them off (<c>on</c>, the default, keeps them), as does
/// <see cref="Enabled"/> in code. The Threadline-Sdk event source and
/// <see cref="Export.Otlp.OtlpExporterOptions.OnDiagnostic"/> report the same problems in full either way.
/// </remarks>
public sealed class SdkDiagnosticsOptions
{
    /// <summary>The environment variable that turns the messages off (<c>off</c>) or on (<c>on</c>).</summary>
    public const string EnvironmentVariable = "THREADLINE_SDK_DIAGNOSTICS";

    private TimeSpan _summaryInterval = TimeSpan.FromMinutes(1);

    /// <summary>Whether the SDK writes these messages. Default true, or what THREADLINE_SDK_DIAGNOSTICS says.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The least time between two messages about the same failing exporter: failures in between are
    /// counted and summarized in the next one. Default one minute.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public TimeSpan SummaryInterval
    {
        get => _summaryInterval;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            _summaryInterval = value;
        }
    }

    /// <summary>Where messages go instead of standard error; the host's logger, or a test's recorder.</summary>
    internal DiagnosticsWriter? Writer { get; set; }

    /// <summary>The clock the summary interval is measured on; tests move it by hand.</summary>
    internal TimeProvider Time { get; set; } = TimeProvider.System;
}
