using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Threadline.Storage.ClickHouse;

/// <summary>Registers the ClickHouse engine.</summary>
public static class ClickHouseStorage
{
    /// <summary>The engine's name in <c>Threadline:Storage:Engine</c>.</summary>
    public const string EngineName = "clickhouse";

    /// <summary>
    /// Registers a <see cref="ClickHouseTraceStore"/> over <paramref name="options"/> as the
    /// <see cref="ITraceStore"/>. It connects (and creates or migrates the schema) on first use,
    /// and again after a failure, so a node starts while ClickHouse is down and answers 503 until it is up.
    /// </summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public static IServiceCollection AddClickHouseTraceStore(this IServiceCollection services, ClickHouseStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return services.AddSingleton<ITraceStore>(provider => new ClickHouseTraceStore(
            options, provider.GetService<ILoggerFactory>()?.CreateLogger<ClickHouseTraceStore>()));
    }
}
