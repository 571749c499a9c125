using Threadline.Query.Analysis;
using Threadline.Query.Parameters;

namespace Threadline.Query.Tests.Analysis;

public sealed class AnalysisRangeTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    private const ulong NowNanos = 1_700_000_000_000_000_000;
    private const ulong Hour = 3_600_000_000_000;

    private static QueryParameters Given(params (string Name, string Value)[] pairs) =>
        new(pairs.Select(p => new KeyValuePair<string, string>(p.Name, p.Value)));

    [Fact]
    public void Without_parameters_the_range_is_the_last_hour_in_one_minute_steps()
    {
        Assert.True(AnalysisRange.TryParse(QueryParameters.None, Now, withStep: true, out var range, out _));

        Assert.Equal(new AnalysisRange(NowNanos - Hour, NowNanos, 1), range);
        Assert.Equal(3_600, range.CoveredSeconds);
    }

    [Fact]
    public void The_default_step_gives_at_most_120_points()
    {
        Assert.True(AnalysisRange.TryParse(Given(("start", "2023-11-01T00:00:00Z"), ("end", "2023-11-02T00:00:00Z")), Now, true, out var range, out _));

        Assert.Equal(12, range.StepMinutes);
        Assert.Equal(120, range.ToQuery(null, withSteps: true).StepCount);
    }

    [Theory]
    [InlineData("5m", 5)]
    [InlineData("60s", 1)]
    [InlineData("1h", 60)]
    public void A_step_of_whole_minutes_is_taken(string step, int minutes)
    {
        Assert.True(AnalysisRange.TryParse(Given(("step", step)), Now, true, out var range, out _));

        Assert.Equal(minutes, range.StepMinutes);
    }

    [Theory]
    [InlineData("step", "30s", "whole number of minutes")]
    [InlineData("step", "90s", "whole number of minutes")]
    [InlineData("step", "0", "whole number of minutes")]
    [InlineData("step", "fast", "step")]
    [InlineData("start", "yesterday", "RFC 3339")]
    [InlineData("end", "99999999999999999999999", "too large")]
    public void A_bad_value_is_refused_naming_its_parameter(string parameter, string value, string message)
    {
        Assert.False(AnalysisRange.TryParse(Given((parameter, value)), Now, true, out _, out var error));

        Assert.Equal(parameter, error.Parameter);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_start_after_the_end_a_repeated_parameter_and_too_many_steps_are_refused()
    {
        Assert.False(AnalysisRange.TryParse(Given(("start", "2030-01-01T00:00:00Z")), Now, true, out _, out var reversed));
        Assert.Equal("start", reversed.Parameter);
        Assert.Contains("start must be before end", reversed.Message);

        Assert.False(AnalysisRange.TryParse(Given(("step", "1m"), ("step", "2m")), Now, true, out _, out var twice));
        Assert.Equal("step", twice.Parameter);

        Assert.False(AnalysisRange.TryParse(Given(("start", "0"), ("step", "1m")), Now, true, out _, out var many));
        Assert.Equal("step", many.Parameter);
        Assert.Contains("at most 11000", many.Message);
    }
}
