using System.CommandLine;
using Threadline.CommandLine;

namespace Threadline.Cli;

/// <summary>The <c>threadline</c> command line: its commands, and the two that are not parsed here.</summary>
internal static class ThreadlineCli
{
    public const string ProgramName = "threadline";

    private const string HelpCommandName = "help";

    /// <summary>Runs <paramref name="arguments"/>; returns the exit code (docs/cli.md).</summary>
    public static Task<int> RunAsync(string[] arguments, InvocationConfiguration invocation)
    {
        // `demo` belongs to the threadline-demo program: every token after it, --help included, goes there unparsed.
        if (arguments is [DemoCommand.Name, .. var demoArguments]) return DemoCommand.RunAsync(demoArguments, invocation);
        // `help serve` is `serve --help`.
        if (arguments is [HelpCommandName, .. var command]) return RunAsync([.. command, "--help"], invocation);
        return UsageErrors.InvokeAsync(CreateRoot(), ProgramName, arguments, invocation);
    }

    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("Threadline: a distributed tracing backend and its tools.");
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(QueryCommand.Create());
        root.Subcommands.Add(TraceCommand.Create());
        root.Subcommands.Add(LoadgenCommand.Create());
        // Listed for help only; RunAsync hands both on before parsing.
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(new Command(HelpCommandName, "Show a command's help: `threadline help serve` is `threadline serve --help`.")
        {
            new Argument<string[]>("command") { Description = "The command.", Arity = ArgumentArity.ZeroOrMore },
        });
        return root;
    }
}
