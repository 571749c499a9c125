namespace Threadline.Storage.Fetch;

/// <summary>How a <see cref="Condition"/> compares the attribute with its operand.</summary>
public enum ConditionOperator : byte
{
    /// <summary>No filtering: the attribute is only fetched (a select, or a query-layer-only test).</summary>
    None = 0,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,

    /// <summary>The string value matches the operand's regular expression (anchored nowhere, as RE2's partial match).</summary>
    Regex,

    /// <summary>The string value does not match the operand's regular expression.</summary>
    NotRegex,

    /// <summary>The attribute is present, whatever its value.</summary>
    Exists,
}
