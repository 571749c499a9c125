using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;

namespace Threadline.CommandLine;

/// <summary>
/// Runs a command line the same way in every Threadline program (<c>threadline</c>,
/// <c>threadline-demo</c>): a mistake in it is one line on standard error that names the command,
/// the flag and what it accepts, and the exit code is <see cref="ExitCodes.Usage"/>. Never the
/// whole help, never a .NET type name.
/// </summary>
internal static class UsageErrors
{
    /// <summary>Parses <paramref name="arguments"/>; reports a usage error in one line, or invokes the command.</summary>
    public static async Task<int> InvokeAsync(RootCommand root, string programName, IReadOnlyList<string> arguments, InvocationConfiguration invocation, CancellationToken cancellationToken = default)
    {
        var result = root.Parse(arguments);
        // With --help among the tokens the help action clears the errors, but an unknown command with
        // --help would show the parent's help as if it were that command's: report it instead.
        if (result.UnmatchedTokens.Count > 0 || (result.Errors.Count > 0 && result.Action is ParseErrorAction))
        {
            await invocation.Error.WriteLineAsync(Describe(result, programName)).ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        return await result.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The one line that reports the first mistake in <paramref name="result"/>.</summary>
    public static string Describe(ParseResult result, string programName)
    {
        var command = CommandPath(result.CommandResult, programName);
        return Line(command, Problem(result));
    }

    /// <summary>A usage error as every Threadline command prints it.</summary>
    public static string Line(string command, string problem) => $"{command}: {problem.TrimEnd('.')} (see '{command} --help').";

    private static string Problem(ParseResult result)
    {
        if (result.UnmatchedTokens.Count > 0)
        {
            var token = result.UnmatchedTokens[0];
            var subcommands = result.CommandResult.Command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).ToList();
            if (token.StartsWith('-')) return $"unknown option '{token}'";
            return subcommands.Count > 0 && result.CommandResult.Command.Arguments.Count == 0
                ? $"unknown command '{token}'; the commands are {string.Join(", ", subcommands)}"
                : $"unexpected argument '{token}'";
        }

        var error = result.Errors[0];
        switch (error.SymbolResult)
        {
            case OptionResult option:
                return OptionProblem(option.Option, option.Tokens, error.Message);
            case ArgumentResult { Parent: OptionResult option }:
                return OptionProblem(option.Option, option.Tokens, error.Message);
            case ArgumentResult argument when error.Message.StartsWith($"<{argument.Argument.Name}>", StringComparison.Ordinal):
                return error.Message.TrimEnd('.');
            case ArgumentResult argument when argument.Tokens.Count == 0:
                return $"<{argument.Argument.Name}> is missing: {Accepted(argument.Argument)}";
            case ArgumentResult argument:
                return $"<{argument.Argument.Name}> takes {Accepted(argument.Argument)}; got '{argument.Tokens[^1].Value}'";
            case CommandResult missing when missing.Command.Subcommands.Count > 0:
                return $"a command is needed: {string.Join(", ", missing.Command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))}";
            default:
                return error.Message.TrimEnd('.');
        }
    }

    private static string OptionProblem(Option option, IReadOnlyList<Token> tokens, string message)
    {
        // Validators and custom parsers here already say what was wrong, starting with the flag.
        if (message.StartsWith(option.Name, StringComparison.Ordinal)) return message.TrimEnd('.');
        var accepted = Accepted(option.ValueType, option.Description);
        return tokens.Count == 0
            ? $"{option.Name} needs a value: {accepted}"
            : $"{option.Name} takes {accepted}; got '{tokens[^1].Value}'";
    }

    private static string Accepted(Argument argument) => argument.ValueType == typeof(string) && argument.Description is { Length: > 0 } description
        ? char.ToLowerInvariant(description[0]) + description[1..].TrimEnd('.')
        : Accepted(argument.ValueType, argument.Description);

    /// <summary>What a value of <paramref name="type"/> looks like, in words a user knows.</summary>
    public static string Accepted(Type type, string? description = null)
    {
        var value = Nullable.GetUnderlyingType(type) ?? type;
        if (value.IsArray) value = value.GetElementType()!;
        if (value.IsEnum) return "one of " + string.Join(", ", Enum.GetNames(value));
        return value == typeof(int) || value == typeof(long) ? "a whole number"
            : value == typeof(double) ? "a number"
            : value == typeof(bool) ? "true or false"
            : value == typeof(Uri) ? "a URL"
            : value == typeof(FileInfo) ? "a file path"
            : description is { Length: > 0 } ? "a value (" + description.TrimEnd('.') + ")"
            : "a value";
    }

    private static string CommandPath(CommandResult command, string programName)
    {
        var names = new List<string>();
        for (SymbolResult? current = command; current is CommandResult result; current = result.Parent)
        {
            if (result.Parent is null) break;
            names.Add(result.Command.Name);
        }
        names.Add(programName);
        names.Reverse();
        return string.Join(' ', names);
    }
}
