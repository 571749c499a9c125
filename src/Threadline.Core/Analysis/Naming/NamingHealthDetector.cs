using Threadline.Core.Model;

namespace Threadline.Core.Analysis.Naming;

/// <summary>The bounds of a <see cref="NamingHealthDetector"/>; each is a cap on memory, not a setting to tune.</summary>
/// <param name="MaxServices">Services tracked; later ones are reported untracked.</param>
/// <param name="MaxTemplatesPerService">High-cardinality templates tracked per service; later ones still count toward the service's total.</param>
/// <param name="FindingThreshold">Distinct names a template must hold to be reported.</param>
/// <param name="ServiceNameLimit">Distinct names above which a service is flagged, whatever the templates (the background articles' ~1,000).</param>
public sealed record NamingHealthLimits(int MaxServices = 500, int MaxTemplatesPerService = 50, int FindingThreshold = 20, int ServiceNameLimit = 1_000)
{
    /// <summary>Examples kept per template.</summary>
    public const int MaxExamples = 5;

    /// <summary>Characters kept of an example, a template or a service name.</summary>
    public const int MaxTextLength = 120;
}

/// <summary>One template that many distinct span names collapse into.</summary>
public sealed record NamingFinding(string SuggestedName, NamingReason Reason, long DistinctNames, IReadOnlyList<string> Examples);

/// <summary>A service's naming health: its distinct span names, whether it is tracked, and its findings (most names first).</summary>
public sealed record ServiceNamingHealth(string Service, long DistinctNames, bool Tracked, bool ExceedsLimit, IReadOnlyList<NamingFinding> Findings);

/// <summary>
/// Watches every span name once, at ingest, and finds the services whose names explode because
/// they carry ids, numbers, URLs or SQL: per (service, template of the name) it counts distinct
/// raw names (<see cref="DistinctCounter"/>) and keeps a few examples. Memory is bounded by
/// <see cref="NamingHealthLimits"/> whatever arrives: per service one 4 KB counter, per tracked
/// template a counter of at most 1 KB and five short examples, plus a 16,384-entry cache of
/// templates already worked out. Thread-safe: one lock, taken once per batch.
/// </summary>
public sealed class NamingHealthDetector
{
    private const int ServicePrecision = 12;
    private const int TemplatePrecision = 8;
    private const int MaxCachedNames = 16_384;

    private readonly Lock _lock = new();
    private readonly NamingHealthLimits _limits;
    private readonly Dictionary<string, ServiceNames> _services = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Template, NamingReason Reason)> _templates = new(StringComparer.Ordinal);

    public NamingHealthDetector(NamingHealthLimits? limits = null)
    {
        _limits = limits ?? new NamingHealthLimits();
        ArgumentOutOfRangeException.ThrowIfLessThan(_limits.MaxServices, 1, nameof(limits));
        ArgumentOutOfRangeException.ThrowIfLessThan(_limits.MaxTemplatesPerService, 1, nameof(limits));
        ArgumentOutOfRangeException.ThrowIfLessThan(_limits.FindingThreshold, 2, nameof(limits));
        ArgumentOutOfRangeException.ThrowIfLessThan(_limits.ServiceNameLimit, 1, nameof(limits));
    }

    public NamingHealthLimits Limits => _limits;

    /// <summary>Spans not looked at because their service came after <see cref="NamingHealthLimits.MaxServices"/> others.</summary>
    public long UntrackedSpans
    {
        get
        {
            lock (_lock) return _untrackedSpans;
        }
    }

    private long _untrackedSpans;

    /// <summary>Takes the names of a batch into account.</summary>
    public void Observe(IReadOnlyList<Span> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        lock (_lock)
        {
            ServiceNames? current = null;
            string? currentName = null;
            for (var i = 0; i < spans.Count; i++)
            {
                var span = spans[i];
                // Spans of a batch come grouped by resource: one lookup per run.
                if (!ReferenceEquals(span.ServiceName, currentName))
                {
                    currentName = span.ServiceName;
                    current = ServiceFor(currentName);
                }
                if (current is null)
                {
                    _untrackedSpans++;
                    continue;
                }
                var (template, reason) = TemplateOf(span.Name);
                current.Observe(span.Name, template, reason, _limits);
            }
        }
    }

    /// <summary>Takes one span name of <paramref name="service"/> into account (for callers without spans).</summary>
    public void Observe(string service, string name)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(name);
        lock (_lock)
        {
            if (ServiceFor(service) is not { } names)
            {
                _untrackedSpans++;
                return;
            }
            var (template, reason) = TemplateOf(name);
            names.Observe(name, template, reason, _limits);
        }
    }

    /// <summary>
    /// Every service with a finding or over the name limit, most distinct names first; or, with
    /// <paramref name="service"/>, that service alone (untracked when never seen or over the cap).
    /// </summary>
    public IReadOnlyList<ServiceNamingHealth> Report(string? service = null)
    {
        lock (_lock)
        {
            if (service is not null)
            {
                return _services.TryGetValue(Bounded(service), out var one)
                    ? [one.Report(Bounded(service), _limits)]
                    : [new ServiceNamingHealth(service, 0, false, false, [])];
            }
            return [.. _services
                .Select(s => s.Value.Report(s.Key, _limits))
                .Where(r => r.Findings.Count > 0 || r.ExceedsLimit)
                .OrderByDescending(r => r.DistinctNames).ThenBy(r => r.Service, StringComparer.Ordinal)];
        }
    }

    private ServiceNames? ServiceFor(string name)
    {
        var key = Bounded(name);
        if (_services.TryGetValue(key, out var names)) return names;
        if (_services.Count >= _limits.MaxServices) return null;
        _services.Add(key, names = new ServiceNames());
        return names;
    }

    private (string Template, NamingReason Reason) TemplateOf(string name)
    {
        if (_templates.TryGetValue(name, out var known)) return known;
        var (template, reason) = SpanNameTemplate.Of(name);
        known = (Bounded(template), reason);
        // A name space that keeps growing (which is what this looks for) would grow the cache:
        // start it over instead, as recomputing a template is cheap.
        if (_templates.Count >= MaxCachedNames) _templates.Clear();
        if (name.Length <= NamingHealthLimits.MaxTextLength) _templates.Add(name, known);
        return known;
    }

    private static string Bounded(string text) =>
        text.Length <= NamingHealthLimits.MaxTextLength ? text : text[..NamingHealthLimits.MaxTextLength] + "…";

    private sealed class ServiceNames
    {
        private readonly DistinctCounter _names = new(ServicePrecision);
        private readonly Dictionary<string, TemplateNames> _templates = new(StringComparer.Ordinal);

        public void Observe(string name, string template, NamingReason reason, NamingHealthLimits limits)
        {
            _names.Add(name);
            // A name that is its own template cannot explode by itself; only rewritten ones are watched.
            if (reason == NamingReason.None) return;
            if (!_templates.TryGetValue(template, out var names))
            {
                if (_templates.Count >= limits.MaxTemplatesPerService) return;
                _templates.Add(template, names = new TemplateNames(reason));
            }
            names.Add(name, reason);
        }

        public ServiceNamingHealth Report(string service, NamingHealthLimits limits)
        {
            var findings = _templates
                .Select(t => (Template: t.Key, Names: t.Value, Count: t.Value.Count))
                .Where(t => t.Count >= limits.FindingThreshold)
                .OrderByDescending(t => t.Count).ThenBy(t => t.Template, StringComparer.Ordinal)
                .Select(t => new NamingFinding(t.Template, t.Names.Reason, t.Count, [.. t.Names.Examples]))
                .ToList();
            var distinct = _names.Count;
            return new ServiceNamingHealth(service, distinct, true, distinct > limits.ServiceNameLimit, findings);
        }
    }

    private sealed class TemplateNames(NamingReason reason)
    {
        private readonly DistinctCounter _names = new(TemplatePrecision);
        private readonly List<string> _examples = new(NamingHealthLimits.MaxExamples);

        public NamingReason Reason { get; private set; } = reason;
        public IReadOnlyList<string> Examples => _examples;
        public long Count => _names.Count;

        public void Add(string name, NamingReason reason)
        {
            _names.Add(name);
            if (reason > Reason) Reason = reason;
            if (_examples.Count >= NamingHealthLimits.MaxExamples) return;
            var example = Bounded(name);
            if (!_examples.Contains(example, StringComparer.Ordinal)) _examples.Add(example);
        }
    }
}
