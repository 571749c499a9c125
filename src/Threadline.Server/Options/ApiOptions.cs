namespace Threadline.Server.Options;

/// <summary>The listener for the native query API (and, later, the UI).</summary>
public sealed class ApiOptions
{
    /// <summary>The API port. 0 picks a free port.</summary>
    public int Port { get; set; } = 16686;
}
