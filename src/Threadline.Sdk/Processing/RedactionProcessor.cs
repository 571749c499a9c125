using System.Collections.Concurrent;
using System.Diagnostics;

namespace Threadline.Sdk.Processing;

/// <summary>
/// Scrubs personal data and secrets from ended spans before any exporter sees them: span attributes,
/// event attributes (exception messages included), link attributes and the status description. Add it with
/// <see cref="TracingOptions.AddProcessor"/>; the SDK always runs processors before exporters.
/// </summary>
/// <remarks>
/// Only string values (and string array elements) are scanned. Event and link attributes cannot be changed
/// on an <see cref="Activity"/>, so scrubbed events and links are published through
/// <see cref="DroppedCounts.ExportedEvents"/> and <see cref="DroppedCounts.ExportedLinks"/>, which exporters
/// send instead of the activity's own.
/// </remarks>
public sealed class RedactionProcessor : SpanProcessor
{
    // Attribute keys are few; remembering the verdict per key avoids re-splitting the same key on every span.
    private const int MaxCachedKeys = 4096;

    private readonly RedactionOptions _options;
    private readonly string[] _keys;
    private readonly ConcurrentDictionary<string, bool> _secretKeys = new(StringComparer.Ordinal);

    /// <param name="options">What to scrub; every built-in rule when null.</param>
    public RedactionProcessor(RedactionOptions? options = null)
    {
        _options = options ?? new RedactionOptions();
        _keys = [.. _options.Keys];
    }

    /// <inheritdoc />
    public override void OnEnd(Activity activity)
    {
        RedactAttributes(activity);
        RedactEvents(activity);
        RedactLinks(activity);
        if (activity.StatusDescription is { } description)
        {
            var scrubbed = RedactText(description);
            if (!ReferenceEquals(scrubbed, description)) activity.SetStatus(activity.Status, scrubbed);
        }
    }

    /// <summary>The value with sensitive parts replaced; the same instance when nothing matched.</summary>
    internal object? RedactValue(string key, object? value)
    {
        if (value is null) return null;
        if (IsSensitiveKey(key)) return _options.Replacement;
        switch (value)
        {
            case string text:
                return RedactText(text);
            case string[] texts:
                string[]? copy = null;
                for (var i = 0; i < texts.Length; i++)
                {
                    if (texts[i] is not { } element) continue;
                    var scrubbed = RedactText(element);
                    if (ReferenceEquals(scrubbed, element)) continue;
                    copy ??= (string[])texts.Clone();
                    copy[i] = scrubbed;
                }
                return copy ?? texts;
            default:
                return value;
        }
    }

    internal string RedactText(string text)
    {
        var replacement = _options.Replacement;
        if (_options.RedactAuthorizationCredentials) text = SensitiveText.RedactAuthorizationCredentials(text, replacement);
        if (_options.RedactEmailAddresses) text = SensitiveText.RedactEmailAddresses(text, replacement);
        if (_options.RedactCardNumbers) text = SensitiveText.RedactCardNumbers(text, replacement);
        foreach (var pattern in _options.Patterns) text = pattern.Replace(text, replacement);
        return text;
    }

    private bool IsSensitiveKey(string key)
    {
        foreach (var configured in _keys)
        {
            if (string.Equals(configured, key, StringComparison.OrdinalIgnoreCase)) return true;
        }
        if (!_options.RedactSecretKeys) return false;
        if (_secretKeys.TryGetValue(key, out var secret)) return secret;
        secret = SensitiveText.IsSecretKey(key);
        if (_secretKeys.Count < MaxCachedKeys) _secretKeys.TryAdd(key, secret);
        return secret;
    }

    private void RedactAttributes(Activity activity)
    {
        List<KeyValuePair<string, object?>>? changes = null;
        foreach (ref readonly var tag in activity.EnumerateTagObjects())
        {
            var scrubbed = RedactValue(tag.Key, tag.Value);
            if (!ReferenceEquals(scrubbed, tag.Value)) (changes ??= []).Add(new(tag.Key, scrubbed));
        }
        if (changes is null) return;
        foreach (var (key, value) in changes) activity.SetTag(key, value);
    }

    private void RedactEvents(Activity activity)
    {
        var scrubbed = RedactItems(
            DroppedCounts.EventsToExport(activity),
            static activityEvent => activityEvent.Tags,
            static (activityEvent, tags) => new ActivityEvent(activityEvent.Name, activityEvent.Timestamp, tags));
        if (scrubbed is not null) DroppedCounts.GetOrCreate(activity).ExportedEvents = scrubbed;
    }

    private void RedactLinks(Activity activity)
    {
        var scrubbed = RedactItems(
            DroppedCounts.LinksToExport(activity),
            static link => link.Tags,
            static (link, tags) => new ActivityLink(link.Context, tags));
        if (scrubbed is not null) DroppedCounts.GetOrCreate(activity).ExportedLinks = scrubbed;
    }

    /// <summary>
    /// The items with their attributes scrubbed, or null when nothing in them was sensitive (the common
    /// case, which then allocates nothing but the walk).
    /// </summary>
    private List<T>? RedactItems<T>(
        IEnumerable<T> items,
        Func<T, IEnumerable<KeyValuePair<string, object?>>?> attributesOf,
        Func<T, ActivityTagsCollection, T> withAttributes)
    {
        List<T>? scrubbedItems = null;
        var index = 0;
        foreach (var item in items)
        {
            ActivityTagsCollection? scrubbedTags = null;
            if (attributesOf(item) is { } attributes)
            {
                foreach (var (key, value) in attributes)
                {
                    var scrubbed = RedactValue(key, value);
                    if (ReferenceEquals(scrubbed, value)) continue;
                    scrubbedTags ??= new ActivityTagsCollection(attributes);
                    scrubbedTags[key] = scrubbed;
                }
            }
            if (scrubbedTags is not null && scrubbedItems is null)
            {
                // The first changed item: copy the ones before it unchanged.
                scrubbedItems = [];
                foreach (var earlier in items)
                {
                    if (scrubbedItems.Count == index) break;
                    scrubbedItems.Add(earlier);
                }
            }
            scrubbedItems?.Add(scrubbedTags is null ? item : withAttributes(item, scrubbedTags));
            index++;
        }
        return scrubbedItems;
    }
}
