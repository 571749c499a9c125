using Threadline.Query.TraceQL;

namespace Threadline.Query.Tests.TraceQL;

/// <summary>Syntax and type errors: each names the line, the column, what was expected and what was found.</summary>
public sealed class ParserErrorTests
{
    [Theory]
    [InlineData("", 1, 1, "a query such as { } or { span.http.method = \"GET\" }", "an empty query")]
    [InlineData("{ span.a = }", 1, 12, "a field (such as span.key, .key or duration), a value, \"(\", \"!\" or \"-\"", "\"}\"")]
    [InlineData("{ .a = 1", 1, 9, "\"}\" or an operator", "end of query")]
    [InlineData("{ .a = 1 }\n| count() >", 2, 12, "a spanset { … }, an aggregate such as count(), a metrics function such as rate(), or \"(\"", "end of query")]
    [InlineData("{ .a = 1 } | rate", 1, 18, "\"(\" after rate", "end of query")]
    [InlineData("{ .a = 1 } )", 1, 12, "end of query (this \")\" has no \"(\")", "\")\"")]
    [InlineData("{ .a = 1 } # x", 1, 12, "a TraceQL token (one of { } ( ) , an operator, a name, a number or a string)", "the character \"#\"")]
    [InlineData("{ .a = \"open }", 1, 8, "a closing \" for this string", "end of query")]
    [InlineData("{ .a = \"bad \\q\" }", 1, 13, "an escape (\\n \\t \\\" \\\\ \\xHH \\uHHHH …)", "\"\\q\"")]
    [InlineData("{ span. = 1 }", 1, 8, "an attribute name after \"span.\"", "\" \"")]
    [InlineData("{ span:foo = 1 }", 1, 3,
        "one of span:childCount, span:duration, span:id, span:kind, span:name, span:parentID, span:status, span:statusMessage", "\"span:foo\"")]
    [InlineData("{ foo = 1 }", 1, 3, "a field (such as span.key, .key or duration) or a value", "the unknown name \"foo\" (attributes need a scope or a leading dot: .foo)")]
    [InlineData("{ .a = 99999999999999999999 }", 1, 8, "an integer between -9223372036854775808 and 9223372036854775807", "\"99999999999999999999\"")]
    public void Syntax_errors_name_position_expectation_and_finding(string query, int line, int column, string expected, string found)
    {
        var error = Assert.Throws<TraceQLSyntaxException>(() => TraceQLParser.Parse(query));

        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Equal(expected, error.Expected);
        Assert.Equal(found, error.Found);
        Assert.Equal($"line {line}, column {column}: expected {expected}, found {found}", error.Message);
        Assert.Equal(query, error.Query);
    }

    [Theory]
    [InlineData("{ duration = \"x\" }", 14, "a duration to match the left side of \"=\"")]
    [InlineData("{ status = 200 }", 12, "a status to match the left side of \"=\"")]
    [InlineData("{ name > 1 }", 10, "a string to match the left side of \">\"")]
    [InlineData("{ kind > server }", 3, "an operand that \">\" applies to")]
    [InlineData("{ .a =~ 1 }", 9, "an operand that \"=~\" applies to")]
    [InlineData("{ .a =~ .b }", 9, "a string literal (a regular expression) after \"=~\"")]
    [InlineData("{ .a =~ \"(\" }", 9, "a valid regular expression")]
    [InlineData("{ 1 }", 3, "a condition (true or false) inside { }")]
    [InlineData("{ \"x\" && .a }", 3, "an operand that \"&&\" applies to")]
    [InlineData("{ !1 }", 4, "a condition (true or false) after !")]
    [InlineData("{ -\"x\" }", 4, "a number after -")]
    [InlineData("{ duration = nil }", 3, "an attribute (intrinsics always have a value, so comparing them with nil is meaningless)")]
    [InlineData("{ .a > nil }", 8, "a value beside \">\"")]
    [InlineData("{ nil }", 3, "a condition")]
    [InlineData("{ } | avg(name) > 1", 11, "a numeric field (such as duration or span.size) in avg()")]
    [InlineData("{ } | sum(1) > 1", 11, "a field of the span (an attribute or intrinsic) in sum()")]
    [InlineData("{ } | count() > \"x\"", 17, "a number or duration beside \">\"")]
    [InlineData("{ } | 1 > 2", 7, "an aggregate such as count() or avg(duration) on one side of the comparison")]
    [InlineData("{ } | count()", 7, "a comparison after \"count()\", as in count() > 2")]
    [InlineData("{ } && count() > 1", 8, "a spanset ({ … } or a parenthesized pipeline) after \"&&\"")]
    [InlineData("{ } | topk(5)", 7, "a spanset, a filter or a grouping in a search")]
    [InlineData("rate()", 1, "a span selection such as { } before the metrics function, as in { } | rate()")]
    [InlineData("{ } | rate() | { }", 16, "a second stage (topk(), bottomk() or a comparison) after the metrics function")]
    [InlineData("{ } | rate() | topk(0)", 21, "the number of series topk keeps (an integer from 1 to 2147483647)")]
    [InlineData("{ } | quantile_over_time(duration, 1.5)", 36, "a quantile between 0 and 1, such as .99")]
    [InlineData("{ } | quantile_over_time(duration)", 34, "\",\" and at least one quantile, as in quantile_over_time(duration, .99)")]
    [InlineData("{ } | min_over_time(1)", 21, "an attribute or intrinsic (such as span.key or duration) in min_over_time()")]
    [InlineData("{ } | compare(.a)", 15, "a spanset filter { … } selecting the spans to compare")]
    [InlineData("{ } | compare({ }) | topk(2)", 22, "nothing after compare() (it takes no second stage)")]
    [InlineData("({ } | count()) > 2", 1, "a spanset or metrics pipeline in parentheses (comparing whole pipelines, as in ({ } | count()) > 2, is not supported, as in Tempo; write { } | count() > 2)")]
    [InlineData("{ } | rate() > \"x\"", 16, "a number after \">\" to filter the series by")]
    [InlineData("({ } | rate()) % 2", 16, "+, -, * or / between metrics expressions")]
    [InlineData("{ } with (sample)", 17, "\"=\" after the hint name")]
    [InlineData("{ } | 1 / 0 > count()", 7, "a non-zero divisor")]
    public void Type_and_shape_errors_point_at_the_offending_operand(string query, int column, string expected)
    {
        var error = Assert.Throws<TraceQLSyntaxException>(() => TraceQLParser.Parse(query));

        Assert.Equal(expected, error.Expected);
        Assert.Equal((1, column), (error.Line, error.Column));
    }

    [Fact]
    public void Columns_count_characters_on_the_offending_line()
    {
        var error = Assert.Throws<TraceQLSyntaxException>(() => TraceQLParser.Parse("{ span.名前 = \"値\" }\n  && { .a = }"));

        Assert.Equal((2, 13), (error.Line, error.Column));
    }

    [Fact]
    public void Unicode_attribute_names_and_values_parse()
    {
        var query = TraceQLParser.Parse("{ span.名前 = \"値 ✓\" }");

        Assert.Equal("{ span.名前 = \"値 ✓\" }", query.ToString());
    }
}
