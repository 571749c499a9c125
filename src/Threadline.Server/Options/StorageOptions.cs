using Threadline.Storage.ClickHouse;
using Threadline.Storage.Embedded;
using Threadline.Storage.Memory;

namespace Threadline.Server.Options;

/// <summary>
/// Which storage engine keeps the spans, and each engine's own options (defined by the engine,
/// in Threadline.Storage, with its defaults).
/// </summary>
public sealed class StorageOptions
{
    /// <summary>
    /// The engine name; one of <see cref="Hosting.StorageEngines.Names"/>. The durable embedded
    /// engine by default; <c>memory</c> for tests and throwaway runs.
    /// </summary>
    public string Engine { get; set; } = EmbeddedStorage.EngineName;

    /// <summary>Settings of the embedded engine (<c>Threadline:Storage:Embedded</c>).</summary>
    public EmbeddedStoreOptions Embedded { get; set; } = new();

    /// <summary>Settings of the memory engine (<c>Threadline:Storage:Memory</c>).</summary>
    public MemoryStoreOptions Memory { get; set; } = new();

    /// <summary>Settings of the ClickHouse engine (<c>Threadline:Storage:ClickHouse</c>).</summary>
    public ClickHouseStoreOptions ClickHouse { get; set; } = new();
}
