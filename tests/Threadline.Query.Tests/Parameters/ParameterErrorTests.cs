using Threadline.Query.Parameters;

namespace Threadline.Query.Tests.Parameters;

public sealed class ParameterErrorTests
{
    [Fact]
    public void Echo_keeps_ordinary_text_as_it_is()
    {
        const string text = "checkout 🙂 é";

        Assert.Same(text, ParameterError.Echo(text));
    }

    [Fact]
    public void Echo_cuts_long_text_to_a_hundred_characters_and_marks_the_cut()
    {
        var echoed = ParameterError.Echo(new string('x', 100_000));

        Assert.Equal(new string('x', 100) + "…", echoed);
    }

    [Fact]
    public void Echo_does_not_cut_a_surrogate_pair_in_half()
    {
        var echoed = ParameterError.Echo(new string('x', 99) + "🙂" + new string('x', 10));

        Assert.Equal(new string('x', 99) + "…", echoed);
    }

    [Fact]
    public void Echo_replaces_lone_surrogates_so_the_message_can_be_written_as_json()
    {
        // Built in code: xUnit's test-case serialisation would itself replace a lone surrogate in inline data.
        Assert.Equal("a\uFFFDb", ParameterError.Echo("a" + '\uD800' + "b"));
        Assert.Equal("\uFFFD", ParameterError.Echo(new string('\uDC00', 1)));
        Assert.Equal("x\uFFFD", ParameterError.Echo("x" + '\uD83D'));
    }

    [Fact]
    public void Create_names_the_parameter_in_the_message()
    {
        var error = ParameterError.Create("limit", "is '0'; give a whole number from 1 to 10");

        Assert.Equal(new ParameterError("limit", "Parameter 'limit' is '0'; give a whole number from 1 to 10."), error);
    }
}
