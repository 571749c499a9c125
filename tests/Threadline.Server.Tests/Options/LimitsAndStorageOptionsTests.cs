using System.Collections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Threadline.Pipeline.Limits;
using Threadline.Server.Hosting;
using Threadline.Server.Options;
using Threadline.Storage;
using Threadline.Storage.Memory;

namespace Threadline.Server.Tests.Options;

/// <summary>The <c>Threadline:Limits</c> section and the engines' own option sections, bound and checked at start-up.</summary>
public sealed class LimitsAndStorageOptionsTests
{
    private static readonly Hashtable NoEnvironment = [];

    [Fact]
    public void Limits_bind_from_flags_and_default_to_the_stage_s_own_defaults()
    {
        var options = ThreadlineConfiguration.Load(null, NoEnvironment,
        [
            new("Threadline:Limits:MaxAttributesPerSpan", "64"),
            new("Threadline:Limits:MaxBytesPerTrace", "1048576"),
        ]);

        Assert.Equal(64, options.Limits.MaxAttributesPerSpan);
        Assert.Equal(1_048_576, options.Limits.MaxBytesPerTrace);
        Assert.Equal(new SpanLimitsOptions().MaxAttributeValueBytes, options.Limits.MaxAttributeValueBytes);
    }

    [Fact]
    public void Out_of_range_limits_are_reported_by_their_keys_all_at_once()
    {
        var error = Assert.Throws<OptionsValidationException>(() => ThreadlineConfiguration.Load(null, NoEnvironment,
        [
            new("Threadline:Limits:MaxAttributesPerSpan", "0"),
            new("Threadline:Limits:MaxAttributeValueBytes", "8"),
            new("Threadline:Limits:MaxEventsPerSpan", "-1"),
        ]));

        Assert.Contains("Threadline:Limits:MaxAttributesPerSpan must be at least 1, got 0.", error.Failures);
        Assert.Contains("Threadline:Limits:MaxAttributeValueBytes must be at least 16, got 8.", error.Failures);
        Assert.Contains("Threadline:Limits:MaxEventsPerSpan must be at least 0, got -1.", error.Failures);
    }

    [Fact]
    public void Every_memory_engine_option_binds_from_the_environment_and_is_checked_by_its_key()
    {
        var options = ThreadlineConfiguration.Load(null, new Hashtable { ["THREADLINE_STORAGE__MEMORY__MAXTAGKEYS"] = "77" }, []);
        Assert.Equal(77, options.Storage.Memory.MaxTagKeys);
        Assert.Equal(new MemoryStoreOptions().MaxSpans, options.Storage.Memory.MaxSpans);

        var error = Assert.Throws<OptionsValidationException>(() =>
            ThreadlineConfiguration.Load(null, NoEnvironment, [new("Threadline:Storage:Memory:MaxServices", "0")]));
        Assert.Contains("Threadline:Storage:Memory:MaxServices must be at least 1, got 0.", error.Failures);
    }

    [Fact]
    public void An_unknown_engine_is_refused_naming_the_engines_there_are()
    {
        var error = Assert.Throws<OptionsValidationException>(() =>
            ThreadlineConfiguration.Load(null, NoEnvironment, [new("Threadline:Storage:Engine", "cassandra")]));

        Assert.Contains($"Threadline:Storage:Engine must be one of: {string.Join(", ", StorageEngines.Names)}; got 'cassandra'.", error.Failures);
    }

    [Fact]
    public void The_memory_engine_registers_itself_with_its_options()
    {
        var services = new ServiceCollection();
        services.AddMemoryTraceStore(new MemoryStoreOptions { MaxSpans = 3 });
        using var provider = services.BuildServiceProvider();

        var store = Assert.IsType<MemoryTraceStore>(provider.GetRequiredService<ITraceStore>());
        Assert.Same(store, provider.GetRequiredService<ITraceStore>());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceCollection().AddMemoryTraceStore(new MemoryStoreOptions { MaxSpans = 0 }));
    }
}
