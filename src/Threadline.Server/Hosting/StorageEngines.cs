using Microsoft.Extensions.DependencyInjection;
using Threadline.Server.Options;
using Threadline.Storage.ClickHouse;
using Threadline.Storage.Embedded;
using Threadline.Storage.Memory;

namespace Threadline.Server.Hosting;

/// <summary>
/// The engines this build can run, by their name in <c>Threadline:Storage:Engine</c>: how each
/// checks its options and registers itself. Adding an engine is one entry here.
/// </summary>
public static class StorageEngines
{
    private sealed record Engine(string Name, Func<StorageOptions, IReadOnlyList<string>> Problems, Action<IServiceCollection, StorageOptions> Register);

    private static readonly Engine[] All =
    [
        new(EmbeddedStorage.EngineName,
            storage => [.. storage.Embedded.Problems().Select(p => "Embedded:" + p)],
            (services, storage) => services.AddEmbeddedTraceStore(storage.Embedded)),
        new(MemoryStorage.EngineName,
            storage => [.. storage.Memory.Problems().Select(p => "Memory:" + p)],
            (services, storage) => services.AddMemoryTraceStore(storage.Memory)),
        new(ClickHouseStorage.EngineName,
            storage => [.. storage.ClickHouse.Problems().Select(p => "ClickHouse:" + p)],
            (services, storage) => services.AddClickHouseTraceStore(storage.ClickHouse)),
    ];

    /// <summary>The engine names, as <c>Threadline:Storage:Engine</c> accepts them.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. All.Select(e => e.Name)];

    /// <summary>
    /// Every problem with the engine choice and with each engine's options, each relative to the
    /// <c>Storage</c> section (e.g. <c>Memory:MaxSpans must be at least 1, got 0.</c>). Every
    /// engine's section is checked, chosen or not, so a bad value is reported before it matters.
    /// </summary>
    public static IReadOnlyList<string> Problems(StorageOptions storage)
    {
        var problems = new List<string>();
        if (Find(storage.Engine) is null)
            problems.Add($"Engine must be one of: {string.Join(", ", Names)}; got '{storage.Engine}'.");
        foreach (var engine in All) problems.AddRange(engine.Problems(storage));
        return problems;
    }

    /// <summary>Registers the chosen engine as the <c>ITraceStore</c>.</summary>
    /// <exception cref="InvalidOperationException">The engine is unknown (validation was skipped).</exception>
    internal static void Register(IServiceCollection services, StorageOptions storage)
    {
        var engine = Find(storage.Engine)
            ?? throw new InvalidOperationException($"Storage engine '{storage.Engine}' is not one of: {string.Join(", ", Names)}.");
        engine.Register(services, storage);
    }

    private static Engine? Find(string? name) => All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));
}
