using Threadline.Core.Model;
using Threadline.Storage.Fetch;

namespace Threadline.Storage.Tests.Fetch;

public sealed class ConditionTests
{
    [Fact]
    public void An_operator_without_its_operand_is_refused_naming_the_attribute()
    {
        var e = Assert.Throws<ArgumentException>(() => new Condition(ConditionScope.Span, "http.route", ConditionOperator.Equal));
        Assert.Contains("span.http.route", e.Message);
        Assert.Contains("needs an operand", e.Message);
    }

    [Fact]
    public void A_fetch_only_condition_with_an_operand_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new Condition(ConditionScope.Resource, "host.name", ConditionOperator.None, StaticValue.String("x")));
        Assert.Contains("takes no operand", e.Message);
    }

    [Fact]
    public void An_unknown_intrinsic_is_refused_listing_the_known_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => new Condition(ConditionScope.Intrinsic, "latency", ConditionOperator.Greater, StaticValue.Duration(1)));
        Assert.Contains("unknown intrinsic \"latency\"", e.Message);
        Assert.Contains("duration", e.Message);
    }

    [Fact]
    public void An_intrinsic_with_an_operand_of_the_wrong_type_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new Condition(ConditionScope.Intrinsic, Intrinsics.Duration, ConditionOperator.Greater, StaticValue.String("1s")));
        Assert.Contains("must be Duration", e.Message);
        Assert.Throws<ArgumentException>(() => new Condition(ConditionScope.Intrinsic, Intrinsics.Kind, ConditionOperator.Equal, StaticValue.Int(2)));
    }

    [Fact]
    public void Order_on_unordered_types_and_regex_on_non_strings_are_refused()
    {
        Assert.Contains("no order", Assert.Throws<ArgumentException>(() =>
            new Condition(ConditionScope.Span, "cache.hit", ConditionOperator.Greater, StaticValue.Bool(true))).Message);
        Assert.Contains("needs a string pattern", Assert.Throws<ArgumentException>(() =>
            new Condition(ConditionScope.Span, "code", ConditionOperator.Regex, StaticValue.Int(5))).Message);
    }

    [Fact]
    public void An_invalid_regular_expression_is_refused_with_the_parser_message()
    {
        var e = Assert.Throws<ArgumentException>(() => new Condition(ConditionScope.Span, "http.route", ConditionOperator.Regex, StaticValue.String("(unclosed")));
        Assert.Contains("not a valid regular expression", e.Message);
    }

    [Fact]
    public void A_pathological_pattern_runs_in_linear_time()
    {
        // (a+)+$ against a long run of a's ending in b backtracks exponentially in a
        // backtracking engine; the non-backtracking one answers at once.
        var condition = new Condition(ConditionScope.Span, "input", ConditionOperator.Regex, StaticValue.String("^(a+)+$"));
        var span = new Span
        {
            TraceId = new TraceId(1, 1), SpanId = new SpanId(1), Name = "s",
            Attributes = [new("input", new string('a', 10_000) + "b")],
        };

        Assert.False(ConditionEvaluator.Matches(condition, span));
    }

    [Theory]
    [InlineData(ConditionOperator.Equal, "b", true)]
    [InlineData(ConditionOperator.Equal, "z", false)]
    [InlineData(ConditionOperator.Regex, "^c", true)]
    [InlineData(ConditionOperator.Greater, "b", true)]
    [InlineData(ConditionOperator.Less, "a", false)]
    [InlineData(ConditionOperator.NotEqual, "b", true)]
    [InlineData(ConditionOperator.NotRegex, "z", true)]
    public void An_array_attribute_matches_when_any_element_does_and_always_passes_negations(ConditionOperator op, string operand, bool expected)
    {
        // TraceQL's array rule; the negated forms ("no element equals") are decided by the query layer.
        var condition = new Condition(ConditionScope.Span, "tags", op, StaticValue.String(operand));
        var span = new Span
        {
            TraceId = new TraceId(1, 1), SpanId = new SpanId(1), Name = "s",
            Attributes = [new("tags", AttributeValue.FromArray(["a", "b", "c"]))],
        };

        Assert.Equal(expected, ConditionEvaluator.Matches(condition, span));
    }
}
