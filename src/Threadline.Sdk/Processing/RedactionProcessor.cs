using System.Collections.Concurrent;
using System.Diagnostics;

namespace Threadline.Sdk.Processing;

/// <summary>
/// Scrubs personal data and secrets from ended spans before any exporter sees them: span attributes,
/// event attributes (exception messages included) and the status description. Add it with
/// <see cref="TracingOptions.AddProcessor"/>; the SDK always runs processors before exporters.
/// </summary>
/// <remarks>
/// Only string values (and string array elements) are scanned. Event attributes cannot be changed on an
/// <see cref="Activity"/>, so scrubbed events are published through <see cref="DroppedCounts.ExportedEvents"/>,
/// which exporters send instead of the activity's own.
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
        var events = DroppedCounts.EventsToExport(activity);
        List<ActivityEvent>? scrubbedEvents = null;
        var index = 0;
        foreach (var activityEvent in events)
        {
            ActivityTagsCollection? scrubbedTags = null;
            foreach (ref readonly var tag in activityEvent.EnumerateTagObjects())
            {
                var scrubbed = RedactValue(tag.Key, tag.Value);
                if (ReferenceEquals(scrubbed, tag.Value)) continue;
                scrubbedTags ??= new ActivityTagsCollection(activityEvent.Tags);
                scrubbedTags[tag.Key] = scrubbed;
            }
            if (scrubbedTags is not null && scrubbedEvents is null)
            {
                // The first changed event: copy the ones before it unchanged.
                scrubbedEvents = [];
                var copied = 0;
                foreach (var earlier in events)
                {
                    if (copied++ == index) break;
                    scrubbedEvents.Add(earlier);
                }
            }
            scrubbedEvents?.Add(scrubbedTags is null ? activityEvent : new ActivityEvent(activityEvent.Name, activityEvent.Timestamp, scrubbedTags));
            index++;
        }
        if (scrubbedEvents is not null) DroppedCounts.GetOrCreate(activity).ExportedEvents = scrubbedEvents;
    }
}
