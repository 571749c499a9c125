using System.Text;
using Threadline.Storage.ClickHouse.Http;
using Threadline.Storage.ClickHouse.Sql;
using Threadline.Tests.Shared;

namespace Threadline.Storage.ClickHouse.Tests;

/// <summary>
/// The one escaping function, checked where it matters: a real ClickHouse server parses each
/// literal and must give back exactly the bytes of the value, whatever the value holds.
/// </summary>
[Collection(ClickHouseCollection.Name)]
public sealed class SqlLiteralTests(ClickHouseFixture clickHouse)
{
    private static readonly UTF8Encoding Utf8 = new(false, false);

    public static TheoryData<string> Hostile => new()
    {
        "", "'", "''", "\\", "\\'", "'\\", "\\\\'", "' OR 1 = 1 --", "'; DROP TABLE spans; --", "x' UNION ALL SELECT version() --",
        "\0", "a\0b", "\0'\0", "\r\n\t", "\u001B[31m", "\x7F", "/* c */", "-- c", "#", "`", "\"", "{name:String}", "?",
        "grüße 日本 🚀", "\u202Eevil", "e\u0301", "\uFFFD", "\uFEFF", "\\x41", "\\0", "\\N", "%s%n", "$1",
        "\ud800", "a\udc00b", "\udbff\udfff",
        new string('\'', 5000), new string('\\', 5000), string.Concat(Enumerable.Repeat("'\\\0", 3000)),
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task A_hostile_string_comes_back_from_the_server_byte_for_byte(string value)
    {
        var answer = await SelectStringAsync(SqlLiteral.String(value));

        Assert.Equal(Utf8.GetBytes(value), answer);
    }

    [Fact]
    public async Task Every_extreme_and_random_value_comes_back_byte_for_byte_in_one_query()
    {
        var random = new Random(1313);
        var values = HostileValues.Extremes.Concat(Enumerable.Range(0, 300).Select(_ => HostileValues.Next(random, 200))).ToArray();
        var bytes = Enumerable.Range(0, 256).Select(b => (byte)b).ToArray();

        var answer = await SelectRawAsync(string.Join(", ", values.Select(SqlLiteral.String).Append(SqlLiteral.Bytes(bytes))));

        var reader = new RowBinaryReader(answer);
        foreach (var value in values) Assert.Equal(Utf8.GetBytes(value), reader.Blob().ToArray());
        Assert.Equal(bytes, reader.Blob().ToArray());
        Assert.True(reader.AtEnd);
    }

    [Fact]
    public void A_value_longer_than_the_limit_is_refused_with_its_size()
    {
        var huge = new string('x', SqlLiteral.MaxStringBytes + 1);

        var e = Assert.Throws<ArgumentException>(() => SqlLiteral.String(huge));
        Assert.Contains($"{SqlLiteral.MaxStringBytes + 1} UTF-8 bytes", e.Message);
        Assert.False(SqlLiteral.Fits(huge));
        Assert.True(SqlLiteral.Fits(new string('x', SqlLiteral.MaxStringBytes)));
    }

    [Fact]
    public async Task The_longest_value_allowed_goes_through()
    {
        var longest = string.Concat(Enumerable.Repeat("'\\é", SqlLiteral.MaxStringBytes / 4));

        Assert.Equal(Utf8.GetBytes(longest), await SelectStringAsync(SqlLiteral.String(longest)));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-2.5)]
    [InlineData(double.Epsilon)]
    [InlineData(double.MaxValue)]
    [InlineData(-1e-300)]
    [InlineData(0.1)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public async Task Doubles_round_trip_exactly(double value)
    {
        var answer = await SelectRawAsync(SqlLiteral.Double(value));

        Assert.Equal(BitConverter.DoubleToInt64Bits(value), BitConverter.ToInt64(answer));
    }

    [Fact]
    public async Task NaN_is_a_NaN()
    {
        var answer = await SelectRawAsync(SqlLiteral.Double(double.NaN));

        Assert.True(double.IsNaN(BitConverter.ToDouble(answer)));
    }

    [Theory]
    [InlineData("threadline")]
    [InlineData("t_0123")]
    [InlineData("_x")]
    public void Plain_names_are_quoted_identifiers(string name) => Assert.Equal("`" + name + "`", SqlLiteral.Identifier(name));

    [Theory]
    [InlineData("")]
    [InlineData("1abc")]
    [InlineData("a`b")]
    [InlineData("a b")]
    [InlineData("a;DROP")]
    [InlineData("naïve")]
    public void Other_names_are_refused_naming_the_rule(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => SqlLiteral.Identifier(name));
        Assert.Contains("letters, digits and underscores", e.Message);
    }

    // The server's RowBinary answer to SELECT of the literals.
    private async Task<byte[]> SelectRawAsync(string literals)
    {
        using var connection = new ClickHouseConnection(clickHouse.Server.Url, null, TimeSpan.FromSeconds(30));
        return await connection.QueryAsync("SELECT " + literals, CancellationToken.None);
    }

    // The bytes of the one string literal selected.
    private async Task<byte[]> SelectStringAsync(string literal) => new RowBinaryReader(await SelectRawAsync(literal)).Blob().ToArray();
}
