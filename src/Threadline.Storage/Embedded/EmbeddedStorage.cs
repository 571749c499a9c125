using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Threadline.Storage.Embedded;

/// <summary>Registers the embedded engine.</summary>
public static class EmbeddedStorage
{
    /// <summary>The engine's name in <c>Threadline:Storage:Engine</c>.</summary>
    public const string EngineName = "embedded";

    /// <summary>
    /// Registers an <see cref="EmbeddedTraceStore"/> over <paramref name="options"/> as the
    /// <see cref="ITraceStore"/>, opened (log replayed) when first resolved and closed with the container.
    /// </summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public static IServiceCollection AddEmbeddedTraceStore(this IServiceCollection services, EmbeddedStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return services.AddSingleton<ITraceStore>(provider => EmbeddedTraceStore.Open(
            options, provider.GetService<ILoggerFactory>()?.CreateLogger<EmbeddedTraceStore>()));
    }
}
