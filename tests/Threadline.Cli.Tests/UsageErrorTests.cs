using System.CommandLine;

namespace Threadline.Cli.Tests;

/// <summary>
/// Every command reports a mistake on its command line the same way: one line on standard error
/// naming the command, the flag and what it accepts, exit code 2, nothing on standard output (no
/// help dump), and no .NET type names.
/// </summary>
public sealed class UsageErrorTests
{
    [Theory]
    [InlineData("unknown option", "threadline serve: unknown option '--frob'", "serve", "--frob")]
    [InlineData("bad value type", "threadline serve: --api-port takes a whole number; got 'eighty'", "serve", "--api-port", "eighty")]
    [InlineData("bad enum value", "threadline serve: --log-level takes one of Trace, Debug, Information, Warning, Error, Critical, None; got 'loud'", "serve", "--log-level", "loud")]
    [InlineData("out of range", "threadline serve: --otlp-grpc-port must be 0-65535 (0 picks a free port), got 70000.", "serve", "--otlp-grpc-port", "70000")]
    [InlineData("unknown option", "threadline loadgen: unknown option '--rate'", "loadgen", "--rate", "5")]
    [InlineData("bad value type", "threadline loadgen: --concurrency takes a whole number; got 'many'", "loadgen", "--concurrency", "many")]
    [InlineData("out of range", "threadline loadgen: --rounds must be between 1 and 20", "loadgen", "--rounds", "0")]
    [InlineData("missing value", "threadline loadgen: --duration needs a value: a number", "loadgen", "--duration")]
    [InlineData("no command", "threadline: a command is needed: serve, query, trace, loadgen, demo, help")]
    [InlineData("unknown command", "threadline: unknown command 'demo-service'; the commands are serve, query, trace, loadgen, demo, help", "demo-service", "--help")]
    [InlineData("missing argument", "threadline query: <traceql> is missing", "query")]
    [InlineData("bad duration", "threadline query: --since must be a positive duration such as 15m, 1h or 24h; got 'soon'", "query", "{ }", "--since", "soon")]
    [InlineData("out of range", "threadline query: --limit must be between 1 and 10000; got 0", "query", "{ }", "--limit", "0")]
    [InlineData("bad format", "threadline query: --output", "query", "{ }", "--output", "yaml")]
    [InlineData("bad url", "threadline query: --server must be an http:// or https:// URL", "query", "{ }", "--server", "localhost")]
    [InlineData("bad trace id", "threadline trace: <trace-id> must be 1 to 32 hex digits, not all zero; got 'xyz'", "trace", "xyz")]
    public async Task A_mistake_is_one_line_naming_the_flag_with_exit_code_2(string mistake, string expected, params string[] arguments)
    {
        var (exitCode, output, error) = await RunAsync(arguments);

        Assert.True(exitCode == 2, $"{mistake}: exit code {exitCode}");
        Assert.Equal("", output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Microsoft.", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_configuration_problems_are_all_listed_named_by_their_flags()
    {
        var (exitCode, _, error) = await RunAsync("serve", "--api-port", "70000", "--max-queued-spans", "0");

        Assert.Equal(2, exitCode);
        Assert.Equal(
            [
                "threadline serve: the configuration has 2 problems:",
                "  - --api-port must be 0-65535 (0 picks a free port), got 70000.",
                "  - --max-queued-spans must be between 1 and 100000000, got 0.",
            ],
            error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("serve", " serve [options]", "--otlp-grpc-port")]
    [InlineData("loadgen", " loadgen [options]", "--spans-per-request")]
    [InlineData("query", " query <traceql> [options]", "--since")]
    [InlineData("trace", " trace <trace-id> [options]", "--server")]
    public async Task Help_command_prints_that_commands_help(string command, string usage, string option)
    {
        var (exitCode, output, error) = await RunAsync("help", command);

        Assert.Equal(0, exitCode);
        Assert.Equal("", error);
        Assert.Contains(usage, output, StringComparison.Ordinal);
        Assert.Contains(option, output, StringComparison.Ordinal);
        Assert.Equal((await RunAsync(command, "--help")).Output, output);
    }

    [Fact]
    public async Task Help_without_a_command_lists_the_commands()
    {
        var (exitCode, output, _) = await RunAsync("help");

        Assert.Equal(0, exitCode);
        Assert.All(new[] { "serve", "query", "trace", "loadgen", "demo", "help" }, command => Assert.Contains($"  {command}", output, StringComparison.Ordinal));
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var exitCode = await ThreadlineCli.RunAsync(arguments, new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }
}
