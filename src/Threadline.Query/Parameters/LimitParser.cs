using System.Globalization;

namespace Threadline.Query.Parameters;

/// <summary>Parses a count such as a result limit: a whole number within a range.</summary>
public static class LimitParser
{
    /// <summary>
    /// The number, or false with an error naming <paramref name="parameter"/> and stating the
    /// range and <paramref name="defaultValue"/>.
    /// </summary>
    public static bool TryParse(string parameter, string text, int min, int max, int defaultValue, out int value, out ParameterError error)
    {
        ArgumentNullException.ThrowIfNull(text);
        error = default;
        if (int.TryParse(text.AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max)
            return true;
        error = ParameterError.Create(parameter, $"is '{ParameterError.Echo(text)}'; give a whole number from {min} to {max} (default {defaultValue})");
        return false;
    }
}
