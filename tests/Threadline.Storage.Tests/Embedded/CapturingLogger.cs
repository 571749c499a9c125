using Microsoft.Extensions.Logging;

namespace Threadline.Storage.Tests.Embedded;

/// <summary>Keeps every message logged (with its exception's message), for tests that check what the store reported.</summary>
internal sealed class CapturingLogger : ILogger
{
    private readonly List<string> _messages = [];

    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_messages) return [.. _messages];
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_messages) _messages.Add($"{logLevel}: {formatter(state, exception)}");
    }
}
