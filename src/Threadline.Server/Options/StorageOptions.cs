using Threadline.Storage.Memory;

namespace Threadline.Server.Options;

/// <summary>
/// Which storage engine keeps the spans, and each engine's own options (defined by the engine,
/// in Threadline.Storage, with its defaults).
/// </summary>
public sealed class StorageOptions
{
    /// <summary>The engine name; one of <see cref="Hosting.StorageEngines.Names"/>.</summary>
    public string Engine { get; set; } = MemoryStorage.EngineName;

    /// <summary>Settings of the memory engine (<c>Threadline:Storage:Memory</c>).</summary>
    public MemoryStoreOptions Memory { get; set; } = new();
}
