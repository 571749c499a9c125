using System.Diagnostics;

namespace Threadline.Demo;

/// <summary>
/// The demo's instrumentation sources, one per kind of work, as separate instrumentation libraries
/// would have: the scope name on each span tells which code made it.
/// </summary>
internal static class DemoTelemetry
{
    /// <summary>Every source below starts with this; services trace <c>Threadline.Demo.*</c>.</summary>
    public const string SourcePattern = "Threadline.Demo.*";

    /// <summary>service.version of every demo service.</summary>
    public const string ServiceVersion = "1.4.2";

    /// <summary>Business steps: checkout, charge card, process notification.</summary>
    public static readonly ActivitySource Checkout = new("Threadline.Demo.Checkout", ServiceVersion);

    /// <summary>Database client spans.</summary>
    public static readonly ActivitySource Sqlite = new("Threadline.Demo.Sqlite", ServiceVersion);

    /// <summary>Producer and consumer spans of the loopback queue.</summary>
    public static readonly ActivitySource Messaging = new("Threadline.Demo.Messaging", ServiceVersion);

    /// <summary>LLM client spans.</summary>
    public static readonly ActivitySource GenAI = new("Threadline.Demo.GenAI", ServiceVersion);
}
