using System.Collections;
using System.Reflection;
using System.Text;
using Microsoft.Extensions.Options;
using Threadline.Server.Options;
using Threadline.Testing;
using Threadline.Tests.Shared;

namespace Threadline.Server.Tests.Options;

/// <summary>
/// Extreme and random values for every setting, through flags, environment variables and the JSON
/// file: start-up either binds the options or refuses them with <see cref="OptionsValidationException"/>
/// naming the setting — never another exception, which `serve` would print as a crash.
/// </summary>
public sealed class HostileConfigurationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("threadline-hostile-config-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static readonly string[] Keys = [.. KeysOf(typeof(ThreadlineOptions), ThreadlineOptions.SectionName + ":")];

    [Fact]
    public void Every_extreme_value_of_every_setting_is_bound_or_refused_by_name()
    {
        Assert.Contains("Threadline:Limits:MaxAttributesPerSpan", Keys);
        Assert.Contains("Threadline:Storage:Memory:MaxSpans", Keys);
        foreach (var key in Keys)
        {
            foreach (var value in HostileValues.Extremes) LoadFlags(key, [new(key, value)], seed: -1);
        }
    }

    [Fact]
    public void Random_values_in_flags_and_environment_are_bound_or_refused_by_name()
    {
        for (var seed = 0; seed < 2_000; seed++)
        {
            var random = new Random(seed);
            var key = Keys[random.Next(Keys.Length)];
            var value = HostileValues.Next(random, maxLength: 300);
            LoadFlags(key, [new(key, value)], seed);

            var variable = "THREADLINE_" + key[(ThreadlineOptions.SectionName.Length + 1)..].Replace(":", "__", StringComparison.Ordinal).ToUpperInvariant();
            Expect(key, seed, () => ThreadlineConfiguration.Load(null, new Hashtable { [variable] = value }, []));
        }
    }

    [Fact]
    public void Mutated_configuration_files_are_bound_or_refused()
    {
        var valid = Encoding.UTF8.GetBytes("""
            {
              "Threadline": {
                "ListenAddress": "127.0.0.1",
                "Receivers": { "OtlpGrpcPort": 4317, "MaxRequestBodyBytes": 16777216 },
                "Ingest": { "MaxQueuedSpans": 200000, "Workers": 2 },
                "Storage": { "Engine": "memory", "Memory": { "MaxSpans": 1000000 } },
                "Limits": { "MaxAttributesPerSpan": 1000 }
              }
            }
            """);
        var path = Path.Combine(_directory, "threadline.json");
        for (var seed = 0; seed < 1_000; seed++)
        {
            File.WriteAllBytes(path, BodyMutator.Mutate([valid], seed));
            try
            {
                ThreadlineConfiguration.Load(path, new Hashtable(), []);
            }
            catch (OptionsValidationException refused)
            {
                Assert.All(refused.Failures, failure => Assert.False(string.IsNullOrWhiteSpace(failure)));
            }
            catch (Exception exception)
            {
                Assert.Fail($"seed {seed}, file {BodyMutator.Show(File.ReadAllBytes(path))}: {exception}");
            }
        }
    }

    private static void LoadFlags(string key, KeyValuePair<string, string?>[] flags, int seed) =>
        Expect(key, seed, () => ThreadlineConfiguration.Load(null, new Hashtable(), flags));

    private static void Expect(string key, int seed, Func<ThreadlineOptions> load)
    {
        try
        {
            load();
        }
        catch (OptionsValidationException refused)
        {
            Assert.Contains(refused.Failures, failure => failure.Contains(key, StringComparison.OrdinalIgnoreCase));
        }
        catch (Exception exception)
        {
            Assert.Fail($"seed {seed}, setting {key}: {exception}");
        }
    }

    private static IEnumerable<string> KeysOf(Type type, string prefix)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is null) continue;
            var isSection = property.PropertyType.IsClass && property.PropertyType != typeof(string);
            if (!isSection) yield return prefix + property.Name;
            else foreach (var nested in KeysOf(property.PropertyType, prefix + property.Name + ":")) yield return nested;
        }
    }
}
