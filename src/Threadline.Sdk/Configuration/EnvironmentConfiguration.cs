using System.Globalization;
using System.Text;
using Threadline.Sdk.Diagnostics;
using Threadline.Sdk.Propagation;
using Threadline.Sdk.Sampling;

namespace Threadline.Sdk.Configuration;

/// <summary>
/// Reads the standard OpenTelemetry environment variables into <see cref="TracingOptions"/> before the
/// application's own configuration runs, so that code overrides them. An invalid value never stops the
/// application: it is ignored (the default stays), reported on the Threadline-Sdk event source and kept in
/// <see cref="Issues"/>, which the session reports to the user once.
/// </summary>
internal sealed class EnvironmentConfiguration(Func<string, string?> environment)
{
    private readonly List<string> _issues = [];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public const string SdkDisabled = "OTEL_SDK_DISABLED";
    public const string ServiceName = "OTEL_SERVICE_NAME";
    public const string ResourceAttributes = "OTEL_RESOURCE_ATTRIBUTES";
    public const string TracesSampler = "OTEL_TRACES_SAMPLER";
    public const string TracesSamplerArg = "OTEL_TRACES_SAMPLER_ARG";
    public const string TracesExporter = "OTEL_TRACES_EXPORTER";
    public const string BspScheduleDelay = "OTEL_BSP_SCHEDULE_DELAY";
    public const string BspExportTimeout = "OTEL_BSP_EXPORT_TIMEOUT";
    public const string BspMaxQueueSize = "OTEL_BSP_MAX_QUEUE_SIZE";
    public const string BspMaxExportBatchSize = "OTEL_BSP_MAX_EXPORT_BATCH_SIZE";
    public const string AttributeValueLengthLimit = "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT";
    public const string AttributeCountLimit = "OTEL_ATTRIBUTE_COUNT_LIMIT";
    public const string SpanAttributeValueLengthLimit = "OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT";
    public const string SpanAttributeCountLimit = "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT";
    public const string SpanEventCountLimit = "OTEL_SPAN_EVENT_COUNT_LIMIT";
    public const string SpanLinkCountLimit = "OTEL_SPAN_LINK_COUNT_LIMIT";
    public const string EventAttributeCountLimit = "OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT";
    public const string LinkAttributeCountLimit = "OTEL_LINK_ATTRIBUTE_COUNT_LIMIT";
    public const string SdkDiagnostics = SdkDiagnosticsOptions.EnvironmentVariable;

    /// <summary>Every value read so far that could not be used, as a sentence: variable, value, accepted values, what applies instead.</summary>
    public IReadOnlyList<string> Issues => _issues;

    /// <summary>OTEL_SDK_DISABLED=true (any case). Anything else, including unset, leaves tracing on.</summary>
    public bool IsSdkDisabled()
    {
        var value = Read(SdkDisabled);
        if (value is null) return false;
        if (value.Equals("true", StringComparison.OrdinalIgnoreCase)) return true;
        if (!value.Equals("false", StringComparison.OrdinalIgnoreCase)) Invalid(SdkDisabled, value, "expected true or false; tracing stays on");
        return false;
    }

    public void Apply(TracingOptions options)
    {
        ApplyResource(options);
        ApplySampler(options);
        ApplyLimits(options.SpanLimits);
        ApplyBatch(options);
        ApplyExporters(options);
        ApplyPropagators(options);
        ApplyDiagnostics(options.Diagnostics);
    }

    /// <summary>
    /// OTEL_PROPAGATORS, name by name: an unknown one is reported here (the propagation module only
    /// writes its own event) and left out, which is what the module does with it anyway.
    /// </summary>
    private void ApplyPropagators(TracingOptions options)
    {
        if (Read(TextMapPropagators.EnvironmentVariable) is not { } value)
        {
            options.Propagator = TextMapPropagators.FromEnvironment(environment);
            return;
        }
        var usable = new List<string>();
        foreach (var raw in value.Split(','))
        {
            var name = raw.Trim();
            if (name.Length == 0) continue;
            // "none" is the one name that builds nothing on purpose.
            if (name.Equals("none", StringComparison.OrdinalIgnoreCase) || TextMapPropagators.Create(name) is not NoOpPropagator) usable.Add(name);
            else Invalid(TextMapPropagators.EnvironmentVariable, value, $"unknown propagator '{name}'; expected tracecontext, baggage, b3, b3multi or none; the other names apply" + (usable.Count == 0 ? " (with none usable, nothing is propagated)" : string.Empty));
        }
        options.Propagator = TextMapPropagators.Create([.. usable]);
    }

    private void ApplyDiagnostics(SdkDiagnosticsOptions diagnostics)
    {
        if (Read(SdkDiagnostics) is not { } value) return;
        if (value.Equals("off", StringComparison.OrdinalIgnoreCase) || value.Equals("false", StringComparison.OrdinalIgnoreCase)) diagnostics.Enabled = false;
        else if (value.Equals("on", StringComparison.OrdinalIgnoreCase) || value.Equals("true", StringComparison.OrdinalIgnoreCase)) diagnostics.Enabled = true;
        else Invalid(SdkDiagnostics, value, "expected on or off; the messages stay on");
    }

    private void ApplyResource(TracingOptions options)
    {
        if (Read(ResourceAttributes) is { } list && ParseResourceAttributes(list) is { } attributes)
        {
            foreach (var (key, value) in attributes)
            {
                if (key == "service.name") options.ServiceName = value;
                else options.ResourceAttributes[key] = value;
            }
        }
        // OTEL_SERVICE_NAME wins over service.name inside OTEL_RESOURCE_ATTRIBUTES, per the specification.
        if (Read(ServiceName) is { } serviceName) options.ServiceName = serviceName;
    }

    /// <summary>
    /// Parses "key1=value1,key2=value2" with percent-encoded values. Any malformed entry discards the
    /// whole variable, as the specification asks, rather than keeping a half-read resource.
    /// </summary>
    internal List<KeyValuePair<string, string>>? ParseResourceAttributes(string list)
    {
        var attributes = new List<KeyValuePair<string, string>>();
        foreach (var rawEntry in list.Split(','))
        {
            var entry = rawEntry.Trim();
            if (entry.Length == 0) continue;
            var equals = entry.IndexOf('=');
            if (equals <= 0)
            {
                Invalid(ResourceAttributes, list, $"entry '{entry}' is not key=value; the variable is ignored");
                return null;
            }
            var key = entry[..equals].Trim();
            var value = PercentDecode(entry[(equals + 1)..].Trim());
            if (key.Length == 0 || value is null)
            {
                Invalid(ResourceAttributes, list, $"entry '{entry}' has an empty key or a bad %-escape; the variable is ignored");
                return null;
            }
            attributes.Add(new(key, value));
        }
        return attributes;
    }

    internal static string? PercentDecode(string text)
    {
        if (!text.Contains('%')) return text;
        var bytes = new List<byte>(text.Length);
        var runStart = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '%') continue;
            bytes.AddRange(Encoding.UTF8.GetBytes(text[runStart..i]));
            if (i + 2 >= text.Length || !byte.TryParse(text.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var decoded)) return null;
            bytes.Add(decoded);
            i += 2;
            runStart = i + 1;
        }
        bytes.AddRange(Encoding.UTF8.GetBytes(text[runStart..]));
        try
        {
            return StrictUtf8.GetString(bytes.ToArray());
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private void ApplySampler(TracingOptions options)
    {
        var name = Read(TracesSampler);
        if (name is null) return;
        var argument = Read(TracesSamplerArg);
        switch (name.ToLowerInvariant())
        {
            case "always_on":
                options.Sampler = new AlwaysOnSampler();
                break;
            case "always_off":
                options.Sampler = new AlwaysOffSampler();
                break;
            case "traceidratio":
                options.Sampler = new TraceIdRatioBasedSampler(ReadRatio(argument));
                break;
            case "parentbased_always_on":
                options.Sampler = new ParentBasedSampler(new AlwaysOnSampler());
                break;
            case "parentbased_always_off":
                options.Sampler = new ParentBasedSampler(new AlwaysOffSampler());
                break;
            case "parentbased_traceidratio":
                options.Sampler = new ParentBasedSampler(new TraceIdRatioBasedSampler(ReadRatio(argument)));
                break;
            default:
                Invalid(TracesSampler, name, "unknown sampler; expected always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off or parentbased_traceidratio; the default, parentbased_always_on, stays");
                break;
        }
    }

    private double ReadRatio(string? argument)
    {
        if (argument is null) return 1.0;
        if (double.TryParse(argument, NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio) && ratio is >= 0 and <= 1) return ratio;
        Invalid(TracesSamplerArg, argument, "expected a ratio between 0 and 1; using 1.0");
        return 1.0;
    }

    private void ApplyLimits(SpanLimits limits)
    {
        // A span-specific variable wins over the general one for the same limit.
        if ((ReadCount(SpanAttributeCountLimit, Fallback(AttributeCountLimit, limits.AttributeCountLimit)) ?? ReadCount(AttributeCountLimit, Default(limits.AttributeCountLimit))) is { } attributeCount)
        {
            limits.AttributeCountLimit = attributeCount;
            limits.AttributePerEventCountLimit = attributeCount;
            limits.AttributePerLinkCountLimit = attributeCount;
        }
        if ((ReadCount(SpanAttributeValueLengthLimit, Fallback(AttributeValueLengthLimit, limits.AttributeValueLengthLimit?.ToString(CultureInfo.InvariantCulture) ?? "no limit")) ?? ReadCount(AttributeValueLengthLimit, Default(limits.AttributeValueLengthLimit?.ToString(CultureInfo.InvariantCulture) ?? "no limit"))) is { } length)
        {
            limits.AttributeValueLengthLimit = length;
        }
        if (ReadCount(SpanEventCountLimit, Default(limits.EventCountLimit)) is { } events) limits.EventCountLimit = events;
        if (ReadCount(SpanLinkCountLimit, Default(limits.LinkCountLimit)) is { } links) limits.LinkCountLimit = links;
        if (ReadCount(EventAttributeCountLimit, "the attribute count limit applies") is { } perEvent) limits.AttributePerEventCountLimit = perEvent;
        if (ReadCount(LinkAttributeCountLimit, "the attribute count limit applies") is { } perLink) limits.AttributePerLinkCountLimit = perLink;
    }

    private void ApplyBatch(TracingOptions options)
    {
        var batch = options.Batch;
        if (ReadCount(BspScheduleDelay, Default(batch.ScheduledDelay.TotalMilliseconds + " ms")) is { } delay) batch.ScheduledDelay = TimeSpan.FromMilliseconds(delay);
        if (ReadCount(BspExportTimeout, Default(batch.ExportTimeout.TotalMilliseconds + " ms"), minimum: 1) is { } timeout) batch.ExportTimeout = TimeSpan.FromMilliseconds(timeout);
        if (ReadCount(BspMaxQueueSize, Default(batch.MaxQueueSize), minimum: 1) is { } queue) batch.MaxQueueSize = queue;
        if (ReadCount(BspMaxExportBatchSize, Default(batch.MaxExportBatchSize), minimum: 1) is { } size) batch.MaxExportBatchSize = size;
    }

    private void ApplyExporters(TracingOptions options)
    {
        var value = Read(TracesExporter);
        if (value is null) return;
        var names = new List<string>();
        var none = false;
        foreach (var raw in value.Split(','))
        {
            var name = raw.Trim().ToLowerInvariant();
            switch (name)
            {
                case "":
                    break;
                case "none":
                    none = true;
                    break;
                case "otlp" or "console":
                    if (!names.Contains(name)) names.Add(name);
                    break;
                default:
                    Invalid(TracesExporter, value, $"unknown exporter '{name}'; expected otlp, console or none; the others listed apply (otlp, the default, when none is left)");
                    break;
            }
        }
        options.EnvironmentExporters.Clear();
        if (none)
        {
            if (names.Count > 0) Invalid(TracesExporter, value, "'none' listed with other exporters; no exporter is used");
            options.EnvironmentExporters.Add("none");
            return;
        }
        options.EnvironmentExporters.AddRange(names);
    }

    /// <summary>The variable's trimmed value; null when unset or blank, which means "use the default".</summary>
    private string? Read(string name)
    {
        var value = environment(name);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <param name="name">The variable.</param>
    /// <param name="instead">What applies when the value cannot be used, for the report.</param>
    /// <param name="minimum">The least value accepted.</param>
    private int? ReadCount(string name, string instead, int minimum = 0)
    {
        if (Read(name) is not { } value) return null;
        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) && count >= minimum) return count;
        Invalid(name, value, $"expected a whole number of at least {minimum}; {instead}");
        return null;
    }

    private static string Default(object value) => string.Create(CultureInfo.InvariantCulture, $"the default ({value}) stays");

    private static string Fallback(string general, object value) => string.Create(CultureInfo.InvariantCulture, $"{general} applies if set, else the default ({value})");

    private void Invalid(string name, string value, string reason)
    {
        SdkEventSource.Log.InvalidConfiguration(name, value, reason);
        _issues.Add($"{name}='{value}' was ignored: {reason}.");
    }
}
