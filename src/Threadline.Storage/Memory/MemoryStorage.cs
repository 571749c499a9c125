using Microsoft.Extensions.DependencyInjection;

namespace Threadline.Storage.Memory;

/// <summary>Registers the memory engine.</summary>
public static class MemoryStorage
{
    /// <summary>The engine's name in <c>Threadline:Storage:Engine</c>.</summary>
    public const string EngineName = "memory";

    /// <summary>
    /// Registers a <see cref="MemoryTraceStore"/> with <paramref name="options"/> as the
    /// <see cref="ITraceStore"/>. A later registration of <see cref="ITraceStore"/> replaces it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static IServiceCollection AddMemoryTraceStore(this IServiceCollection services, MemoryStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return services.AddSingleton<ITraceStore>(_ => new MemoryTraceStore(options));
    }
}
