using System.CommandLine;
using System.Globalization;

namespace Threadline.CommandLine;

/// <summary>Range checks on option values that name the flag, the rule and the value given.</summary>
internal static class OptionRules
{
    /// <summary>
    /// Reports <c>--flag must be RULE; got VALUE</c> when <paramref name="isValid"/> refuses the value.
    /// Only a value that converted is checked; one that did not is reported by the parser, by its type.
    /// </summary>
    public static void Require<T>(this Option<T> option, Func<T, bool> isValid, string rule)
    {
        option.Validators.Add(result =>
        {
            T value;
            try
            {
                value = result.GetValueOrDefault<T>();
            }
            catch (InvalidOperationException)
            {
                return;
            }
            if (!isValid(value))
                result.AddError($"{option.Name} must be {rule}; got {Convert.ToString(value, CultureInfo.InvariantCulture)}");
        });
    }
}
