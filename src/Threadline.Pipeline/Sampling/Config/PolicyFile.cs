using Threadline.Pipeline.Sampling.Policies;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Threadline.Pipeline.Sampling.Config;

/// <summary>
/// A tail-sampling policy file: the OpenTelemetry Collector's <c>tail_sampling</c> configuration
/// as it is (at the top level, under <c>tail_sampling:</c>, or under
/// <c>processors: tail_sampling[/name]:</c>), with Threadline's own settings beside the
/// Collector's keys. YAML or JSON (JSON is YAML). Everything is checked at once, every problem
/// named by line and column.
/// </summary>
public sealed class PolicyFile
{
    private static readonly string[] Keys =
    [
        "policies", "decision_wait", "num_traces", "expected_new_traces_per_sec", "decision_cache", "sample_on_first_match",
        "drop_pending_traces_on_shutdown", "settle_delay", "max_held_bytes", "max_spans_per_trace", "max_bytes_per_trace", "decision_cache_size",
    ];

    private PolicyFile(TailSamplingSettings settings, IReadOnlyList<ISamplingPolicy> policies)
    {
        Settings = settings;
        Policies = policies;
    }

    /// <summary>Timing, caps and cache sizes.</summary>
    public TailSamplingSettings Settings { get; }

    /// <summary>The top-level policies, in file order.</summary>
    public IReadOnlyList<ISamplingPolicy> Policies { get; }

    /// <summary>Reads and checks the file at <paramref name="path"/>.</summary>
    /// <exception cref="PolicyFileException">The file is missing, unreadable or invalid; lists every problem.</exception>
    public static PolicyFile Load(string path, PolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            // ArgumentException: a path the file system refuses outright (a null character, say).
            throw new PolicyFileException(path, [$"cannot be read: {ex.Message}"]);
        }
        return Parse(text, path, context);
    }

    /// <summary>Parses and checks policy-file text; <paramref name="source"/> names it in messages.</summary>
    /// <exception cref="PolicyFileException">Lists every problem, each with its line and column.</exception>
    public static PolicyFile Parse(string text, string source, PolicyContext context)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(context);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new PolicyFileException(source, [$"line {ex.Start.Line}, column {ex.Start.Column}: not valid YAML or JSON: {Reason(ex)}"]);
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet's parser gives up this way on some malformed streams (found by PolicyFileFuzzTests); no position is known.
            throw new PolicyFileException(source, [$"not valid YAML or JSON: {ex.Message}"]);
        }
        if (stream.Documents.Count != 1)
            throw new PolicyFileException(source, [$"holds {stream.Documents.Count} YAML documents; give exactly one."]);

        var problems = new List<string>();
        var section = FindSection(stream.Documents[0].RootNode);
        var fields = YamlFields.Of(section, "the tail_sampling settings", problems);
        if (fields is null) throw new PolicyFileException(source, problems);

        var settings = new TailSamplingSettings();
        var defaults = settings;
        var cacheSize = fields.Integer("decision_cache_size", min: 0, max: 100_000_000);
        int sampledCache = (int)(cacheSize ?? defaults.SampledCacheSize), notSampledCache = (int)(cacheSize ?? defaults.NotSampledCacheSize);
        if (fields.Find("decision_cache") is { } cacheNode && YamlFields.Of(cacheNode, "decision_cache", problems) is { } cache)
        {
            sampledCache = (int)(cache.Integer("sampled_cache_size", min: 0, max: 100_000_000) ?? sampledCache);
            notSampledCache = (int)(cache.Integer("non_sampled_cache_size", min: 0, max: 100_000_000) ?? notSampledCache);
            cache.Finish(["sampled_cache_size", "non_sampled_cache_size"]);
        }
        settings = settings with
        {
            DecisionWait = Positive(fields, "decision_wait") ?? defaults.DecisionWait,
            SettleDelay = fields.Duration("settle_delay") ?? defaults.SettleDelay,
            MaxHeldBytes = fields.Bytes("max_held_bytes") ?? defaults.MaxHeldBytes,
            MaxTraces = (int?)fields.Integer("num_traces", min: 1, max: 100_000_000),
            MaxSpansPerTrace = (int)(fields.Integer("max_spans_per_trace", min: 1, max: 10_000_000) ?? defaults.MaxSpansPerTrace),
            MaxBytesPerTrace = fields.Bytes("max_bytes_per_trace") ?? defaults.MaxBytesPerTrace,
            SampledCacheSize = sampledCache,
            NotSampledCacheSize = notSampledCache,
            SampleOnFirstMatch = fields.Boolean("sample_on_first_match") ?? false,
            DropPendingTracesOnShutdown = fields.Boolean("drop_pending_traces_on_shutdown") ?? false,
        };
        // Accepted so that a Collector file loads unchanged; Threadline sizes its tables as it goes.
        fields.Number("expected_new_traces_per_sec", min: 0);
        if (settings.SettleDelay > settings.DecisionWait)
            fields.Problem(fields.Find("settle_delay") ?? section, $"settle_delay ({settings.SettleDelay.TotalSeconds} s) is longer than decision_wait ({settings.DecisionWait.TotalSeconds} s); a trace is decided at decision_wait at the latest.");

        var policies = new List<ISamplingPolicy>();
        var factory = new PolicyFactory(context, problems);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var list = fields.Sequence("policies", required: true);
        if (list is { Count: 0 }) fields.Problem(fields.Find("policies")!, "policies must list at least one policy.");
        foreach (var node in list ?? [])
        {
            if (PolicyFactory.NameOf(node) is { } name && !names.Add(name)) fields.Problem(node, $"two policies are named '{name}'; give each its own name.");
            if (factory.Build(node, "a policy") is { } policy) policies.Add(policy);
        }
        fields.Finish(Keys);
        if (problems.Count > 0) throw new PolicyFileException(source, problems);
        return new PolicyFile(settings, policies);
    }

    private static TimeSpan? Positive(YamlFields fields, string key)
    {
        var value = fields.Duration(key);
        if (value is { } v && v <= TimeSpan.Zero) fields.Problem(fields.Find(key)!, $"{key} must be positive.");
        return value;
    }

    // The Collector's own file nests the processor under processors:, possibly with a name suffix.
    private static YamlNode FindSection(YamlNode root)
    {
        if (root is not YamlMappingNode mapping) return root;
        foreach (var (key, value) in mapping.Children)
        {
            var name = (key as YamlScalarNode)?.Value;
            if (name == "processors" && value is YamlMappingNode processors)
            {
                foreach (var (processor, settings) in processors.Children)
                {
                    var processorName = (processor as YamlScalarNode)?.Value ?? "";
                    if (processorName == "tail_sampling" || processorName.StartsWith("tail_sampling/", StringComparison.Ordinal)) return settings;
                }
            }
            if (name == "tail_sampling") return value;
        }
        return root;
    }

    private static string Reason(YamlException ex)
    {
        var message = ex.InnerException?.Message ?? ex.Message;
        var position = message.IndexOf("): ", StringComparison.Ordinal);
        return position >= 0 && message.StartsWith('(') ? message[(position + 3)..] : message;
    }
}
