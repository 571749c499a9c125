namespace Threadline.Sdk;

/// <summary>
/// Caps on what one span may carry. The SDK applies them as data is added through the span helpers
/// (<see cref="SpanExtensions"/>) and again when a span ends, before any processor sees it, so an
/// exporter never receives an oversized span. What is dropped is counted in <see cref="DroppedCounts"/>.
/// </summary>
/// <remarks>
/// Environment variables set the defaults (OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT and friends); code overrides them.
/// </remarks>
public sealed class SpanLimits
{
    // Helpers on spans whose source no tracing session owns still enforce something sensible.
    internal static readonly SpanLimits Default = new();

    private int _attributeCountLimit = 128;
    private int? _attributeValueLengthLimit;
    private int _eventCountLimit = 128;
    private int _linkCountLimit = 128;
    private int _attributePerEventCountLimit = 128;
    private int _attributePerLinkCountLimit = 128;

    /// <summary>Most attributes a span keeps; later ones are dropped (the first ones stay). Default 128.</summary>
    public int AttributeCountLimit
    {
        get => _attributeCountLimit;
        set => _attributeCountLimit = NotNegative(value);
    }

    /// <summary>
    /// Longest string attribute value (and string array element), in UTF-16 code units; longer values are
    /// truncated. Applies to span, event and link attributes. Null (the default) means unlimited.
    /// </summary>
    public int? AttributeValueLengthLimit
    {
        get => _attributeValueLengthLimit;
        set => _attributeValueLengthLimit = value is { } limit ? NotNegative(limit) : null;
    }

    /// <summary>Most events a span keeps. Default 128.</summary>
    public int EventCountLimit
    {
        get => _eventCountLimit;
        set => _eventCountLimit = NotNegative(value);
    }

    /// <summary>Most links a span keeps. Default 128.</summary>
    public int LinkCountLimit
    {
        get => _linkCountLimit;
        set => _linkCountLimit = NotNegative(value);
    }

    /// <summary>Most attributes one event keeps. Default 128.</summary>
    public int AttributePerEventCountLimit
    {
        get => _attributePerEventCountLimit;
        set => _attributePerEventCountLimit = NotNegative(value);
    }

    /// <summary>Most attributes one link keeps. Default 128.</summary>
    public int AttributePerLinkCountLimit
    {
        get => _attributePerLinkCountLimit;
        set => _attributePerLinkCountLimit = NotNegative(value);
    }

    internal SpanLimits Clone() => (SpanLimits)MemberwiseClone();

    /// <summary>Whether <paramref name="other"/> sets every limit to the same value.</summary>
    internal bool HasSameValues(SpanLimits other) =>
        _attributeCountLimit == other._attributeCountLimit
        && _attributeValueLengthLimit == other._attributeValueLengthLimit
        && _eventCountLimit == other._eventCountLimit
        && _linkCountLimit == other._linkCountLimit
        && _attributePerEventCountLimit == other._attributePerEventCountLimit
        && _attributePerLinkCountLimit == other._attributePerLinkCountLimit;

    /// <summary>
    /// The value cut to the length limit: strings are truncated, string arrays are copied with each long
    /// element truncated; anything else is returned as is.
    /// </summary>
    public object? Truncate(object? value)
    {
        if (_attributeValueLengthLimit is not { } limit) return value;
        switch (value)
        {
            case string text when text.Length > limit:
                return TruncateString(text, limit);
            case string[] texts:
                string[]? copy = null;
                for (var i = 0; i < texts.Length; i++)
                {
                    if (texts[i] is not { } element || element.Length <= limit) continue;
                    copy ??= (string[])texts.Clone();
                    copy[i] = TruncateString(element, limit);
                }
                return copy ?? texts;
            default:
                return value;
        }
    }

    internal bool NeedsTruncation(object? value)
    {
        if (_attributeValueLengthLimit is not { } limit) return false;
        switch (value)
        {
            case string text:
                return text.Length > limit;
            case string[] texts:
                foreach (var element in texts)
                {
                    if (element is not null && element.Length > limit) return true;
                }
                return false;
            default:
                return false;
        }
    }

    internal static string TruncateString(string text, int limit)
    {
        // Cutting between the halves of a surrogate pair would leave invalid UTF-16 that exporters
        // cannot encode, so the cut moves one unit earlier.
        if (limit > 0 && char.IsHighSurrogate(text[limit - 1])) limit--;
        return text[..limit];
    }

    private static int NotNegative(int value, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(value))] string? name = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value, name);
        return value;
    }
}
