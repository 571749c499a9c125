namespace Threadline.Query.Parameters;

/// <summary>Reads a parameter that may be given at most once.</summary>
public static class SingleValue
{
    /// <summary>
    /// The trimmed value of <paramref name="name"/>, or null when it was not given or is blank
    /// (forms and the Jaeger UI send empty fields); false with an error when it was given more
    /// than once, even with equal values, since which one wins would be a guess.
    /// </summary>
    public static bool TryGet(IQueryParameters parameters, string name, out string? value, out ParameterError error)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        value = null;
        error = default;
        var values = parameters.Values(name);
        if (values.Count > 1)
        {
            error = ParameterError.Create(name, $"is given {values.Count} times; give it once");
            return false;
        }
        if (values.Count == 1 && !string.IsNullOrWhiteSpace(values[0])) value = values[0].Trim();
        return true;
    }
}
