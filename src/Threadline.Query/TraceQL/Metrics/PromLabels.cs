using System.Globalization;
using System.Text;
using Threadline.Core.Model;

namespace Threadline.Query.TraceQL.Metrics;

/// <summary>
/// Prints a series' labels as Tempo does in <c>promLabels</c> (Prometheus' label-set text):
/// <c>{name="value", …}</c>, ordered by name, values quoted and escaped as Go quotes them, numbers
/// in Go's shortest form, a missing value as <c>&lt;nil&gt;</c> and an empty string as
/// <c>&lt;empty&gt;</c>.
/// </summary>
internal static class PromLabels
{
    public static string Format(IReadOnlyList<TraceQLAttribute> labels)
    {
        var ordered = labels.OrderBy(l => l.Name, StringComparer.Ordinal);
        var text = new StringBuilder("{");
        var first = true;
        foreach (var label in ordered)
        {
            if (!first) text.Append(", ");
            first = false;
            text.Append(label.Name).Append('=');
            AppendQuoted(text, ValueText(label.Value));
        }
        return text.Append('}').ToString();
    }

    /// <summary>A label value as Tempo turns a TraceQL value into text.</summary>
    public static string ValueText(AttributeValue value) => value.Type switch
    {
        AttributeType.Empty => "<nil>",
        AttributeType.String => value.AsString() switch
        {
            "" => "<empty>",
            "nil" => "<nil>",
            var s => s,
        },
        AttributeType.Double => GoFloat(value.AsDouble()),
        _ => value.ToString(),
    };

    /// <summary>
    /// A double as Go's <c>strconv.FormatFloat(v, 'g', -1, 64)</c> writes it: the shortest digits
    /// that round-trip, in exponent form (<c>1e+06</c>, <c>1.5e-05</c>) below 1e-4 or from 1e6 up.
    /// </summary>
    public static string GoFloat(double value)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsPositiveInfinity(value)) return "+Inf";
        if (double.IsNegativeInfinity(value)) return "-Inf";
        if (value == 0) return double.IsNegative(value) ? "-0" : "0";

        // "E16" is not the shortest form; "R" is, so take its digits and place the point ourselves.
        var roundTrip = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var exponentAt = roundTrip.IndexOfAny(['E', 'e']);
        var mantissa = exponentAt < 0 ? roundTrip : roundTrip[..exponentAt];
        var exponent = exponentAt < 0 ? 0 : int.Parse(roundTrip[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = point < 0 ? mantissa : mantissa.Remove(point, 1);
        var pointPosition = (point < 0 ? mantissa.Length : point) + exponent;
        var leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        pointPosition -= leadingZeros;
        if (digits.Length == 0) return "0";

        var sign = value < 0 ? "-" : string.Empty;
        var decimalExponent = pointPosition - 1;
        if (decimalExponent < -4 || decimalExponent >= 6)
        {
            var fraction = digits.Length > 1 ? "." + digits[1..] : string.Empty;
            var expSign = decimalExponent < 0 ? "-" : "+";
            return $"{sign}{digits[0]}{fraction}e{expSign}{Math.Abs(decimalExponent):00}";
        }
        if (pointPosition <= 0) return sign + "0." + new string('0', -pointPosition) + digits;
        if (pointPosition >= digits.Length) return sign + digits + new string('0', pointPosition - digits.Length);
        return sign + digits[..pointPosition] + "." + digits[pointPosition..];
    }

    // Go's strconv.Quote: backslash escapes for quotes, backslashes and control characters.
    private static void AppendQuoted(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    if (char.IsControl(c)) text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else text.Append(c);
                    break;
            }
        }
        text.Append('"');
    }
}
