using System.Collections;
using System.ComponentModel;
using System.Reflection;
using System.Text.Json;
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

    // Every setting's key below the section, with the type its value must convert to.
    private static readonly Dictionary<string, Type> KnownKeys = CollectKeys(typeof(ThreadlineOptions), prefix: "");

    /// <summary>
    /// Layers <paramref name="jsonFile"/> (when given), the <c>THREADLINE_</c> entries of
    /// <paramref name="environment"/>, and <paramref name="overrides"/> (full keys such as
    /// <c>Threadline:Api:Port</c>, as the command line sets them), later layers winning.
    /// </summary>
    /// <exception cref="OptionsValidationException">
    /// The file is missing, is a directory, is not valid JSON (the message names the line and column),
    /// or has no <c>Threadline</c> section.
    /// </exception>
    public static IConfigurationRoot Build(
        string? jsonFile,
        IDictionary environment,
        IEnumerable<KeyValuePair<string, string?>> overrides)
    {
        var builder = new ConfigurationBuilder();
        if (!string.IsNullOrEmpty(jsonFile)) builder.AddConfiguration(ReadFile(jsonFile));
        builder.AddInMemoryCollection(FromEnvironment(environment));
        builder.AddInMemoryCollection(overrides);
        return builder.Build();
    }

    private static IConfigurationRoot ReadFile(string jsonFile)
    {
        var path = Path.GetFullPath(jsonFile);
        if (Directory.Exists(path))
            throw Invalid($"The configuration file '{path}' is a directory; give the path of a JSON file.");
        if (!File.Exists(path))
            throw Invalid($"The configuration file '{path}' does not exist.");
        IConfigurationRoot file;
        try
        {
            file = new ConfigurationBuilder().AddJsonFile(path, optional: false, reloadOnChange: false).Build();
        }
        catch (InvalidDataException ex) when (Innermost(ex) is JsonException json)
        {
            throw Invalid($"The configuration file '{path}' is not valid JSON at line {json.LineNumber + 1}, column {json.BytePositionInLine + 1}: {Reason(json)}");
        }
        catch (InvalidDataException ex)
        {
            // The provider's own complaint, e.g. a key that appears twice; it names the key.
            throw Invalid($"The configuration file '{path}' cannot be read: {Innermost(ex).Message}");
        }
        // A file whose settings sit elsewhere would otherwise be ignored without a word.
        if (!file.GetSection(ThreadlineOptions.SectionName).Exists())
            throw Invalid($"The configuration file '{path}' has no \"{ThreadlineOptions.SectionName}\" section; put the settings in {{ \"{ThreadlineOptions.SectionName}\": {{ ... }} }} (see docs/configuration.md).");
        return file;
    }

    // The provider wraps the parser's exception twice ("failed to load", "could not parse").
    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is not null) exception = exception.InnerException;
        return exception;
    }

    // System.Text.Json ends its message with the position, which the caller already gives as line and column.
    private static string Reason(JsonException json)
    {
        var message = json.Message;
        var position = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (position < 0) position = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (position > 0 ? message[..position] : message).TrimEnd('.', ' ') + ".";
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
        var convertible = new List<KeyValuePair<string, string?>>();
        var unconvertible = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in section.AsEnumerable(makePathsRelative: true))
        {
            if (value is null) continue;
            if (!KnownKeys.TryGetValue(key, out var type))
            {
                failures.Add($"{ThreadlineOptions.SectionName}:{key} is not a Threadline setting; see docs/configuration.md for the settings there are.");
            }
            else if (!Converts(value, type))
            {
                // Reported here, with every other problem, instead of stopping the binder at the first.
                failures.Add($"{ThreadlineOptions.SectionName}:{key} must be {Describe(type)}, got '{value}'.");
                unconvertible.Add(key);
            }
            else
            {
                convertible.Add(new(key, value));
            }
        }

        var options = new ThreadlineOptions();
        new ConfigurationBuilder().AddInMemoryCollection(convertible).Build().Bind(options);
        // A setting that did not convert kept its default; its range is not what is wrong with it.
        failures.AddRange(ThreadlineOptionsValidator.Validate(options)
            .Where(failure => !unconvertible.Any(key => failure.StartsWith($"{ThreadlineOptions.SectionName}:{key} ", StringComparison.OrdinalIgnoreCase))));
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
                // Other tools share the THREADLINE_ prefix (THREADLINE_DEMO_EXECUTABLE, a user's own
                // THREADLINE_HOME): a flat name that is no setting is theirs, not a typo of ours.
                // Nested names (THREADLINE_RECEIVERS__...) are ours, and a wrong one is reported.
                if (!relative.Contains(ConfigurationPath.KeyDelimiter, StringComparison.Ordinal) && !KnownKeys.ContainsKey(relative)) continue;
                yield return new(ThreadlineOptions.SectionName + ConfigurationPath.KeyDelimiter + relative, entry.Value as string);
            }
        }
    }

    private static Dictionary<string, Type> CollectKeys(Type type, string prefix)
    {
        var keys = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is null) continue;
            var key = prefix + property.Name;
            var isSection = property.PropertyType.IsClass && property.PropertyType != typeof(string);
            if (isSection)
            {
                foreach (var (nested, nestedType) in CollectKeys(property.PropertyType, key + ConfigurationPath.KeyDelimiter)) keys[nested] = nestedType;
            }
            else
            {
                keys[key] = property.PropertyType;
            }
        }
        return keys;
    }

    private static bool Converts(string value, Type type)
    {
        var converter = TypeDescriptor.GetConverter(Nullable.GetUnderlyingType(type) ?? type);
        try
        {
            // The binder converts the same way, with the invariant culture.
            converter.ConvertFromInvariantString(value);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or NotSupportedException or OverflowException || ex.InnerException is FormatException or OverflowException)
        {
            return false;
        }
    }

    private static string Describe(Type type)
    {
        var value = Nullable.GetUnderlyingType(type) ?? type;
        return value == typeof(int) || value == typeof(long) ? "a whole number"
            : value == typeof(double) ? "a number"
            : value == typeof(bool) ? "true or false"
            : value.IsEnum ? "one of " + string.Join(", ", Enum.GetNames(value))
            : "text";
    }

    private static OptionsValidationException Invalid(string message) =>
        new(ThreadlineOptions.SectionName, typeof(ThreadlineOptions), [message]);
}
