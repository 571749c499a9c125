using System.Diagnostics;

namespace Threadline.Sdk;

/// <summary>
/// Span operations on <see cref="Activity"/>: typed attributes, events, exceptions and status, with the
/// session's <see cref="SpanLimits"/> applied as data is added. Every method accepts a null activity (no
/// listener, or the source is not traced) and does nothing, so <c>span.SetAttribute(...)</c> needs no
/// null check; every method also does nothing on a span that is not recorded.
/// </summary>
/// <example>
/// <code>
/// using var span = Source.StartSpan("charge card", ActivityKind.Client);
/// span.SetAttribute("payment.amount", 42.5);
/// try { ... }
/// catch (Exception ex) { span.RecordException(ex); span.SetSpanStatus(ActivityStatusCode.Error, ex.Message); throw; }
/// </code>
/// </example>
public static class SpanExtensions
{
    private const string ExceptionEventName = "exception";

    private enum AttributeSlot
    {
        Existing,
        Free,
        OverLimit,
    }

    /// <summary>Sets a string attribute, replacing any value under the same key; null removes it.</summary>
    public static Activity? SetAttribute(this Activity? span, string key, string? value) => SetLimited(span, key, value);

    /// <summary>Sets a boolean attribute, replacing any value under the same key.</summary>
    public static Activity? SetAttribute(this Activity? span, string key, bool value) => SetLimited(span, key, BoxedValues.Of(value));

    /// <summary>Sets an integer attribute, replacing any value under the same key.</summary>
    public static Activity? SetAttribute(this Activity? span, string key, long value) => SetLimited(span, key, BoxedValues.Of(value));

    /// <summary>Sets a floating-point attribute, replacing any value under the same key.</summary>
    public static Activity? SetAttribute(this Activity? span, string key, double value) => SetLimited(span, key, value);

    /// <summary>Sets a string array attribute. The array is kept, not copied: do not change it afterwards.</summary>
    public static Activity? SetAttribute(this Activity? span, string key, string[]? values) => SetLimited(span, key, values);

    /// <summary>Sets a boolean array attribute. The array is kept, not copied: do not change it afterwards.</summary>
    public static Activity? SetAttribute(this Activity? span, string key, bool[]? values) => SetLimited(span, key, values);

    /// <summary>Sets an integer array attribute. The array is kept, not copied: do not change it afterwards.</summary>
    public static Activity? SetAttribute(this Activity? span, string key, long[]? values) => SetLimited(span, key, values);

    /// <summary>Sets a floating-point array attribute. The array is kept, not copied: do not change it afterwards.</summary>
    public static Activity? SetAttribute(this Activity? span, string key, double[]? values) => SetLimited(span, key, values);

    /// <summary>
    /// Adds a timestamped event. Events beyond <see cref="SpanLimits.EventCountLimit"/> and attributes beyond
    /// <see cref="SpanLimits.AttributePerEventCountLimit"/> are dropped and counted.
    /// </summary>
    /// <param name="span">The span; null does nothing.</param>
    /// <param name="name">What happened, e.g. "cache.miss".</param>
    /// <param name="attributes">Values are string, bool, long, double or arrays of those.</param>
    /// <param name="timestamp">When it happened; default means now.</param>
    public static Activity? AddEvent(
        this Activity? span,
        string name,
        IEnumerable<KeyValuePair<string, object?>>? attributes = null,
        DateTimeOffset timestamp = default)
    {
        if (span is null || !span.IsAllDataRequested) return span;
        ArgumentNullException.ThrowIfNull(name);
        AddLimitedEvent(span, name, attributes, timestamp, extra: null);
        return span;
    }

    /// <summary>
    /// Records an exception as the "exception" event with exception.type, exception.message and
    /// exception.stacktrace (the exception's full text, inner exceptions included). Does not change
    /// the status: set <see cref="ActivityStatusCode.Error"/> too when the operation failed.
    /// </summary>
    /// <param name="span">The span; null does nothing.</param>
    /// <param name="exception">The exception.</param>
    /// <param name="escaped">When known, whether the exception left the span's scope (exception.escaped).</param>
    /// <param name="attributes">More attributes for the event.</param>
    /// <param name="timestamp">When it happened; default means now.</param>
    public static Activity? RecordException(
        this Activity? span,
        Exception exception,
        bool? escaped = null,
        IEnumerable<KeyValuePair<string, object?>>? attributes = null,
        DateTimeOffset timestamp = default)
    {
        if (span is null || !span.IsAllDataRequested) return span;
        ArgumentNullException.ThrowIfNull(exception);
        var standard = new KeyValuePair<string, object?>[escaped is null ? 3 : 4];
        standard[0] = new("exception.type", exception.GetType().FullName ?? exception.GetType().Name);
        standard[1] = new("exception.message", exception.Message);
        standard[2] = new("exception.stacktrace", exception.ToString());
        if (escaped is { } value) standard[3] = new("exception.escaped", BoxedValues.Of(value));
        AddLimitedEvent(span, ExceptionEventName, standard, timestamp, attributes);
        return span;
    }

    /// <summary>
    /// Sets the span status following the OpenTelemetry rules: <see cref="ActivityStatusCode.Ok"/> is final
    /// (later changes are ignored), <see cref="ActivityStatusCode.Unset"/> is ignored, and the description
    /// is kept only for <see cref="ActivityStatusCode.Error"/>. An error may still be turned into Ok.
    /// </summary>
    /// <remarks>
    /// <see cref="Activity.SetStatus"/> itself does not apply these rules; use this method so that a
    /// library further down cannot turn a span its caller marked Ok back into an error.
    /// </remarks>
    public static Activity? SetSpanStatus(this Activity? span, ActivityStatusCode code, string? description = null)
    {
        if (span is null || !span.IsAllDataRequested) return span;
        if (span.Status == ActivityStatusCode.Ok || code == ActivityStatusCode.Unset) return span;
        if (code == ActivityStatusCode.Error)
        {
            var limits = SpanLimitsRegistry.For(span.Source);
            span.SetStatus(code, description is null ? null : (string?)limits.Truncate(description));
        }
        else
        {
            span.SetStatus(code);
        }
        return span;
    }

    private static Activity? SetLimited(Activity? span, string key, object? value)
    {
        if (span is null || !span.IsAllDataRequested) return span;
        ArgumentNullException.ThrowIfNull(key);
        if (value is null)
        {
            span.SetTag(key, null);
            return span;
        }

        var limits = SpanLimitsRegistry.For(span.Source);
        // Without a length limit nothing is ever cut: skip the call, which runs for every attribute.
        if (limits.AttributeValueLengthLimit is not null) value = limits.Truncate(value);
        switch (FindAttribute(span, key, limits.AttributeCountLimit))
        {
            case AttributeSlot.Existing:
                span.SetTag(key, value);
                break;
            case AttributeSlot.Free:
                // The walk above already proved the key absent: append without Activity searching again.
                span.AddTag(key, value);
                break;
            default:
                DroppedCounts.GetOrCreate(span).Attributes++;
                break;
        }
        return span;
    }

    private static AttributeSlot FindAttribute(Activity span, string key, int limit)
    {
        var count = 0;
        foreach (ref readonly var tag in span.EnumerateTagObjects())
        {
            if (string.Equals(tag.Key, key, StringComparison.Ordinal)) return AttributeSlot.Existing;
            count++;
        }
        return count < limit ? AttributeSlot.Free : AttributeSlot.OverLimit;
    }

    private static void AddLimitedEvent(
        Activity span,
        string name,
        IEnumerable<KeyValuePair<string, object?>>? attributes,
        DateTimeOffset timestamp,
        IEnumerable<KeyValuePair<string, object?>>? extra)
    {
        var limits = SpanLimitsRegistry.For(span.Source);
        var index = 0;
        foreach (ref readonly var _ in span.EnumerateEvents()) index++;
        if (index >= limits.EventCountLimit)
        {
            DroppedCounts.GetOrCreate(span).Events++;
            return;
        }

        ActivityTagsCollection? tags = null;
        var dropped = 0;
        dropped += AddLimitedTags(ref tags, attributes, limits.AttributePerEventCountLimit, limits);
        dropped += AddLimitedTags(ref tags, extra, limits.AttributePerEventCountLimit, limits);
        if (dropped > 0)
        {
            var counts = DroppedCounts.GetOrCreate(span);
            counts.EventAttributes = SpanLimitEnforcer.AddAt(counts.EventAttributes, index, dropped);
        }
        span.AddEvent(new ActivityEvent(name, timestamp, tags));
    }

    /// <summary>Copies attributes into <paramref name="tags"/> up to the limit; returns how many did not fit.</summary>
    internal static int AddLimitedTags(
        ref ActivityTagsCollection? tags,
        IEnumerable<KeyValuePair<string, object?>>? attributes,
        int countLimit,
        SpanLimits limits)
    {
        if (attributes is null) return 0;
        var dropped = 0;
        foreach (var (key, value) in attributes)
        {
            if (value is null) continue;
            tags ??= [];
            if (tags.Count >= countLimit && !tags.ContainsKey(key))
            {
                dropped++;
                continue;
            }
            tags[key] = limits.Truncate(value);
        }
        return dropped;
    }
}
