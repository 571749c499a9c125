using System.Collections;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Threadline.Server.Options;

/// <summary>
/// Builds <see cref="ThreadlineOptions"/> from the standard .NET configuration layers, lowest
/// precedence first: the defaults, a JSON file, <c>THREADLINE_</c> environment variables, then
/// command-line flags.
/// </summary>
public static class ThreadlineConfiguration
{
    /// <summary>
    /// Environment variables with this prefix configure the <c>Threadline</c> section; <c>__</c>
    /// separates levels, e.g. <c>THREADLINE_RECEIVERS__OTLPGRPCPORT=4317</c>.
    /// </summary>
    public const string EnvironmentPrefix = "THREADLINE_";

    private static readonly HashSet<string> KnownKeys = CollectKeys(typeof(ThreadlineOptions), prefix: "");

    /// <summary>
    /// Layers <paramref name="jsonFile"/> (when given), the <c>THREADLINE_</c> entries of
    /// <paramref name="environment"/>, and <paramref name="overrides"/> (full keys such as
    /// <c>Threadline:Api:Port</c>, as the command line sets them), later layers winning.
    /// </summary>
    /// <exception cref="OptionsValidationException">The file is missing or is not valid JSON.</exception>
    public static IConfigurationRoot Build(
        string? jsonFile,
        IDictionary environment,
        IEnumerable<KeyValuePair<string, string?>> overrides)
    {
        var builder = new ConfigurationBuilder();
        if (!string.IsNullOrEmpty(jsonFile))
        {
            var path = Path.GetFullPath(jsonFile);
            if (!File.Exists(path))
                throw Invalid($"The configuration file '{path}' does not exist.");
            builder.AddJsonFile(path, optional: false, reloadOnChange: false);
        }
        builder.AddInMemoryCollection(FromEnvironment(environment));
        builder.AddInMemoryCollection(overrides);
        try
        {
            return builder.Build();
        }
        catch (InvalidDataException ex)
        {
            throw Invalid($"The configuration file '{jsonFile}' is not valid JSON: {ex.InnerException?.Message ?? ex.Message}");
        }
    }

    /// <summary>
    /// Binds the <c>Threadline</c> section and validates it. Unknown keys are errors, so a typo in
    /// a file or variable name is reported instead of silently ignored.
    /// </summary>
    /// <exception cref="OptionsValidationException">Lists every problem found.</exception>
    public static ThreadlineOptions Bind(IConfiguration configuration)
    {
        var section = configuration.GetSection(ThreadlineOptions.SectionName);
        var failures = new List<string>();
        foreach (var (key, value) in section.AsEnumerable(makePathsRelative: true))
        {
            if (value is not null && !KnownKeys.Contains(key))
                failures.Add($"{ThreadlineOptions.SectionName}:{key} is not a Threadline setting; see docs/configuration.md for the settings there are.");
        }

        var options = new ThreadlineOptions();
        try
        {
            section.Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            // The binder names the key and the value it could not convert.
            failures.Add(ex.Message);
        }
        if (failures.Count == 0)
            failures.AddRange(ThreadlineOptionsValidator.Validate(options));
        if (failures.Count > 0)
            throw new OptionsValidationException(ThreadlineOptions.SectionName, typeof(ThreadlineOptions), failures);
        return options;
    }

    /// <summary>Builds and binds in one step: what <c>threadline serve</c> does.</summary>
    public static ThreadlineOptions Load(
        string? jsonFile,
        IDictionary environment,
        IEnumerable<KeyValuePair<string, string?>> overrides) =>
        Bind(Build(jsonFile, environment, overrides));

    private static IEnumerable<KeyValuePair<string, string?>> FromEnvironment(IDictionary environment)
    {
        foreach (DictionaryEntry entry in environment)
        {
            if (entry.Key is string name && name.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase) && name.Length > EnvironmentPrefix.Length)
            {
                var relative = name[EnvironmentPrefix.Length..].Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);
                // Other tools share the THREADLINE_ prefix (THREADLINE_EXECUTABLE, a user's own
                // THREADLINE_HOME): a flat name that is no setting is theirs, not a typo of ours.
                // Nested names (THREADLINE_RECEIVERS__...) are ours, and a wrong one is reported.
                if (!relative.Contains(ConfigurationPath.KeyDelimiter, StringComparison.Ordinal) && !KnownKeys.Contains(relative)) continue;
                yield return new(ThreadlineOptions.SectionName + ConfigurationPath.KeyDelimiter + relative, entry.Value as string);
            }
        }
    }

    private static HashSet<string> CollectKeys(Type type, string prefix)
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is null) continue;
            var key = prefix + property.Name;
            var isSection = property.PropertyType.IsClass && property.PropertyType != typeof(string);
            if (isSection)
                keys.UnionWith(CollectKeys(property.PropertyType, key + ConfigurationPath.KeyDelimiter));
            else
                keys.Add(key);
        }
        return keys;
    }

    private static OptionsValidationException Invalid(string message) =>
        new(ThreadlineOptions.SectionName, typeof(ThreadlineOptions), [message]);
}
