using System.Globalization;
using System.Text;
using Threadline.Storage.Fetch;

namespace Threadline.Query.TraceQL.Ast;

/// <summary>Prints literals and attribute names so that the TraceQL parser reads them back unchanged.</summary>
public static class LiteralText
{
    public static string Of(StaticValue value) => value.Type switch
    {
        StaticType.String => Quote(value.AsString()),
        // The lexer reads only non-negative integers, so the one integer without a negation is spelled as Tempo spells it.
        StaticType.Int => value.AsInt() == long.MinValue ? "minInt" : value.AsInt().ToString(CultureInfo.InvariantCulture),
        StaticType.Double => Number(value.AsDouble()),
        StaticType.Bool => value.AsBool() ? "true" : "false",
        StaticType.Duration => Duration(value.AsDuration()),
        _ => value.ToString(),
    };

    /// <summary>A double with a fraction or exponent, so that it reads back as a float, not an integer.</summary>
    public static string Number(double value)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsInfinity(value)) return value > 0 ? "Inf" : "-Inf";
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
    }

    /// <summary>A duration in the largest unit that divides it exactly (<c>1500ms</c>, <c>2h</c>, <c>7ns</c>).</summary>
    public static string Duration(ulong nanoseconds)
    {
        if (nanoseconds == 0) return "0s";
        ReadOnlySpan<(ulong Size, string Unit)> units =
        [
            (3_600_000_000_000UL, "h"), (60_000_000_000UL, "m"), (1_000_000_000UL, "s"),
            (1_000_000UL, "ms"), (1_000UL, "us"), (1UL, "ns"),
        ];
        foreach (var (size, unit) in units)
        {
            if (nanoseconds % size == 0) return (nanoseconds / size).ToString(CultureInfo.InvariantCulture) + unit;
        }
        return nanoseconds.ToString(CultureInfo.InvariantCulture) + "ns";
    }

    /// <summary>A double-quoted string with the escapes the lexer reads.</summary>
    public static string Quote(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (char.IsControl(c)) builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else builder.Append(c);
                    break;
            }
        }
        return builder.Append('"').ToString();
    }

    /// <summary>An attribute name as written after its scope: bare when the lexer reads it whole, else quoted.</summary>
    public static string AttributeName(string name)
    {
        if (name.Length == 0) return "\"\"";
        foreach (var c in name)
        {
            if (!IsAttributeChar(c) || c == '"') return QuoteAttribute(name);
        }
        return name;
    }

    /// <summary>Characters that end an unquoted attribute name (whitespace and TraceQL's operators and brackets).</summary>
    public static bool IsAttributeChar(char c) =>
        !char.IsWhiteSpace(c) && c is not ('{' or '}' or '(' or ')' or '=' or '~' or '!' or '<' or '>' or '&' or '|' or '^' or ',');

    private static string QuoteAttribute(string name)
    {
        // Inside a quoted attribute name only \" and \\ are escapes.
        var builder = new StringBuilder(name.Length + 2).Append('"');
        foreach (var c in name)
        {
            if (c is '"' or '\\') builder.Append('\\');
            builder.Append(c);
        }
        return builder.Append('"').ToString();
    }
}
