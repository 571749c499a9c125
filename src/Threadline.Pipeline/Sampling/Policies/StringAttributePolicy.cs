using System.Text.RegularExpressions;
using Threadline.Core.Model;

namespace Threadline.Pipeline.Sampling.Policies;

/// <summary>
/// <c>string_attribute</c>: keeps traces where a span or resource has the string attribute
/// <c>key</c> equal to one of <c>values</c>, or, with <c>enabled_regex_matching</c>, matching one
/// of them as a regular expression (anywhere in the value, as Go's <c>MatchString</c>);
/// <c>invert_match</c> turns the verdict over. Regex results are remembered for up to
/// <c>cache_max_size</c> distinct values.
/// </summary>
public sealed class StringAttributePolicy : ISamplingPolicy
{
    // Patterns come from the operator's file, values from senders: bound the work per value.
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    private readonly string _key;
    private readonly HashSet<string>? _exact;
    private readonly Regex[]? _patterns;
    private readonly Dictionary<string, bool>? _cache;
    private readonly int _cacheMaxSize;
    private readonly bool _invert;

    public StringAttributePolicy(string name, string key, IReadOnlyList<string> values, bool regex, int cacheMaxSize, bool invert)
    {
        Name = name;
        _key = key;
        _invert = invert;
        _cacheMaxSize = cacheMaxSize;
        if (regex)
        {
            _patterns = [.. values.Select(v => new Regex(v, RegexOptions.CultureInvariant, RegexTimeout))];
            _cache = [];
        }
        else
        {
            _exact = new HashSet<string>(values, StringComparer.Ordinal);
        }
    }

    public string Name { get; }

    public PolicyVerdict Evaluate(SampledTrace trace) =>
        PolicyVerdict.Match(AttributeValues.Any(trace, _key, v => v.Type == AttributeType.String && Matches(v.AsString())), _invert);

    private bool Matches(string value)
    {
        if (_exact is not null) return _exact.Contains(value);
        if (_cache!.TryGetValue(value, out var known)) return known;
        var matched = false;
        foreach (var pattern in _patterns!)
        {
            try
            {
                if (pattern.IsMatch(value))
                {
                    matched = true;
                    break;
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // A value too costly to match is treated as not matching.
            }
        }
        if (_cache.Count >= _cacheMaxSize) _cache.Clear();
        _cache[value] = matched;
        return matched;
    }
}
