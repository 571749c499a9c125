namespace Threadline.Sdk;

/// <summary>
/// Turns tracing off for the code running inside a scope (and everything it awaits): no span is
/// created there, from any source. The OTLP exporter uses it around its own HTTP calls so that
/// exporting spans does not itself produce spans (HttpClient is traced, and the exporter uses it).
/// </summary>
/// <example>
/// <code>
/// using (SuppressInstrumentation.Begin())
/// {
///     await healthProbe.GetAsync(url); // not traced
/// }
/// </code>
/// </example>
public static class SuppressInstrumentation
{
    private static readonly AsyncLocal<int> Depth = new();

    // Counts open scopes across the process, so the sampling path pays for the async-local read
    // only while some scope is open somewhere.
    private static int s_openScopes;

    /// <summary>True inside a scope on the current async flow.</summary>
    public static bool IsActive => Volatile.Read(ref s_openScopes) > 0 && Depth.Value > 0;

    /// <summary>Starts a scope; dispose it to end it. Scopes nest.</summary>
    public static Scope Begin()
    {
        Interlocked.Increment(ref s_openScopes);
        Depth.Value++;
        return new Scope(true);
    }

    /// <summary>An open suppression scope.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly bool _open;

        internal Scope(bool open) => _open = open;

        /// <summary>Ends the scope.</summary>
        public void Dispose()
        {
            if (!_open) return;
            Depth.Value--;
            Interlocked.Decrement(ref s_openScopes);
        }
    }
}
