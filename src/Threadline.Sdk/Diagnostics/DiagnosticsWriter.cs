using Microsoft.Extensions.Logging;

namespace Threadline.Sdk.Diagnostics;

/// <summary>Where the SDK's messages to the user go: a logger, standard error, or a test's recorder.</summary>
internal abstract class DiagnosticsWriter
{
    /// <summary>Something the user should act on: spans are being lost, a setting was ignored.</summary>
    public abstract void Warning(string message);

    /// <summary>Good news after a warning, such as export working again.</summary>
    public abstract void Information(string message);
}

/// <summary>
/// Standard error, one line per message: the application has no logger the SDK knows of, and a
/// console application's standard output may be its data.
/// </summary>
internal sealed class StandardErrorWriter : DiagnosticsWriter
{
    public override void Warning(string message) => Write("warning", message);

    public override void Information(string message) => Write("info", message);

    private static void Write(string level, string message)
    {
        try
        {
            // Console.Error is synchronized; one WriteLine keeps concurrent messages whole.
            Console.Error.WriteLine($"Threadline.Sdk {level}: {message}");
        }
        catch (IOException)
        {
            // A closed standard error must not break exporting.
        }
    }
}

/// <summary>The host's logger, so the messages land wherever the application's own logs go.</summary>
internal sealed class LoggerWriter(ILogger logger) : DiagnosticsWriter
{
    public const string Category = "Threadline.Sdk";

    public override void Warning(string message) => logger.LogWarning("{Message}", message);

    public override void Information(string message) => logger.LogInformation("{Message}", message);
}
