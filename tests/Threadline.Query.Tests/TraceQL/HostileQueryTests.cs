using System.Diagnostics;
using Threadline.Query.TraceQL;

namespace Threadline.Query.Tests.TraceQL;

/// <summary>Hostile queries end in a clear error after bounded work, never a stack overflow or a hang.</summary>
public sealed class HostileQueryTests
{
    [Fact]
    public void A_query_over_the_length_bound_is_refused_before_lexing()
    {
        var options = new TraceQLOptions();
        var query = "{ .a = \"" + new string('x', 1_000_000) + "\" }";

        var error = Assert.Throws<TraceQLSyntaxException>(() => TraceQLParser.Parse(query, options));

        Assert.Equal($"a query of at most {options.MaxQueryLength} characters (TraceQLOptions.MaxQueryLength)", error.Expected);
        Assert.Equal($"{query.Length} characters", error.Found);
    }

    public static TheoryData<string> DeeplyNested()
    {
        const int Levels = 20_000;
        return
        [
            new string('(', Levels) + "{ }" + new string(')', Levels),
            "{ " + new string('(', Levels) + ".a = 1" + new string(')', Levels) + " }",
            "{ " + new string('!', Levels) + ".a }",
            "{ " + string.Concat(Enumerable.Repeat("- ", Levels)) + ".a > 1 }",
            "{ } | count() > " + string.Concat(Enumerable.Repeat("- ", Levels)) + "1",
            "{ .a = 1 } | " + string.Concat(Enumerable.Repeat("(", Levels)) + "count()" + new string(')', Levels) + " > 1",
        ];
    }

    [Theory]
    [MemberData(nameof(DeeplyNested))]
    public void Deep_nesting_is_refused_naming_the_bound(string query)
    {
        var options = new TraceQLOptions();

        var error = Assert.Throws<TraceQLSyntaxException>(() => TraceQLParser.Parse(query, options));

        Assert.Contains(options.MaxNestingDepth.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Expected, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(" || ")]
    [InlineData(" ^ ")]
    [InlineData(" + ")]
    public void Long_operator_chains_are_refused_naming_the_bound(string op)
    {
        var options = new TraceQLOptions();
        var terms = Enumerable.Repeat(".a", 10_000);
        var query = "{ " + string.Join(op, terms) + (op == " || " ? " }" : " > 1 }");

        var error = Assert.Throws<TraceQLSyntaxException>(() => TraceQLParser.Parse(query, options));

        Assert.Contains(options.MaxNestingDepth.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void A_chain_within_the_bound_parses()
    {
        var query = "{ " + string.Join(" || ", Enumerable.Range(0, 200).Select(i => $".a = {i}")) + " }";

        Assert.NotNull(TraceQLParser.Parse(query));
    }

    [Fact]
    public void Many_spansets_within_the_length_bound_parse_in_bounded_time()
    {
        var query = string.Join(" || ", Enumerable.Range(0, 200).Select(i => $"{{ .a = {i} }}"));
        var clock = Stopwatch.StartNew();

        TraceQLParser.Parse(query);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"parsing took {clock.Elapsed}");
    }

    [Theory]
    [InlineData("{ .a = \"\u0000\" }")]
    [InlineData("{ .a\u200b = 1 }")]
    [InlineData("{ .a = \"\ud800\" }")]
    [InlineData("\ufeff{ }")]
    [InlineData("{ .a = 1 } \u202e")]
    public void Odd_unicode_parses_or_fails_with_a_syntax_error(string query)
    {
        try
        {
            TraceQLParser.Parse(query);
        }
        catch (TraceQLSyntaxException e)
        {
            Assert.True(e.Line >= 1 && e.Column >= 1);
        }
    }
}
