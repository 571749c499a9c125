using Spectre.Console;

namespace Threadline.Cli.Query;

/// <summary>
/// Where the query commands write: a Spectre console over the command's output, in colour only
/// on a terminal and without <c>NO_COLOR</c>; piped or redirected output is plain text, wide
/// enough that tables are not wrapped.
/// </summary>
internal static class Terminal
{
    private const int PlainWidth = 200;

    public static IAnsiConsole Create(TextWriter output)
    {
        var isTerminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var color = isTerminal && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = color ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = color ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!isTerminal) console.Profile.Width = PlainWidth;
        return console;
    }

    /// <summary>A table: boxed on a terminal; plain output (pipes, files) gets columns without box lines.</summary>
    public static Table Table(IAnsiConsole console) =>
        new Table().Border(console.Profile.Capabilities.Ansi ? TableBorder.Rounded : TableBorder.None);

    /// <summary>Without box lines, two spaces keep the columns apart; call once every column is added.</summary>
    public static void Spread(Table table, IAnsiConsole console)
    {
        if (console.Profile.Capabilities.Ansi) return;
        foreach (var column in table.Columns) column.Padding = new Padding(0, 0, 2, 0);
    }

    /// <summary>A duration as people read it: 850 µs, 12.3 ms, 4.56 s, 2m03s.</summary>
    public static string Duration(double nanos) => nanos switch
    {
        < 1_000 => $"{nanos:0} ns",
        < 1_000_000 => $"{nanos / 1_000:0.#} µs",
        < 1_000_000_000 => $"{nanos / 1_000_000:0.#} ms",
        < 60_000_000_000 => $"{nanos / 1_000_000_000:0.##} s",
        _ => $"{(long)(nanos / 60_000_000_000)}m{(long)(nanos / 1_000_000_000 % 60):00}s",
    };

    /// <summary>A Unix-nanosecond time in UTC to the millisecond, the same on every machine.</summary>
    public static string Time(ulong unixNanos) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)(unixNanos / 1_000_000)).ToString("yyyy-MM-dd HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture) + "Z";
}
