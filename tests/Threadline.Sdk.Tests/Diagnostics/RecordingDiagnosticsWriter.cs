using Threadline.Sdk.Diagnostics;

namespace Threadline.Sdk.Tests.Diagnostics;

/// <summary>Keeps what the SDK would have told the user, in order.</summary>
internal sealed class RecordingDiagnosticsWriter : DiagnosticsWriter
{
    private readonly List<(string Level, string Message)> _messages = [];

    public IReadOnlyList<(string Level, string Message)> Messages
    {
        get
        {
            lock (_messages) return [.. _messages];
        }
    }

    public IReadOnlyList<string> Warnings => [.. Messages.Where(m => m.Level == "warning").Select(m => m.Message)];

    public override void Warning(string message)
    {
        lock (_messages) _messages.Add(("warning", message));
    }

    public override void Information(string message)
    {
        lock (_messages) _messages.Add(("info", message));
    }
}
