namespace Threadline.Server.Options;

/// <summary>Which storage engine keeps the spans, and the settings of each engine.</summary>
public sealed class StorageOptions
{
    /// <summary>The in-memory engine: fast, bounded, lost on restart.</summary>
    public const string MemoryEngine = "memory";

    /// <summary>The engines this build can run.</summary>
    public static IReadOnlyList<string> SupportedEngines { get; } = [MemoryEngine];

    /// <summary>The engine name; one of <see cref="SupportedEngines"/>.</summary>
    public string Engine { get; set; } = MemoryEngine;

    /// <summary>Settings of the memory engine.</summary>
    public MemoryStorageOptions Memory { get; set; } = new();
}

/// <summary>Settings of the in-memory engine.</summary>
public sealed class MemoryStorageOptions
{
    /// <summary>The most spans kept; the oldest are evicted (and counted) past this.</summary>
    public int MaxSpans { get; set; } = 1_000_000;
}
