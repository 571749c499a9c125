using System.Text;
using Threadline.Query.TraceQL;

namespace Threadline.Query.Tests.TraceQL;

/// <summary>
/// Random and mutated queries, seeded so a failure reproduces: whatever a user types, the parser
/// and the engine answer with a syntax or query error (a 400) or a result, never another
/// exception (a 500).
/// </summary>
public sealed class TraceQLFuzzTests
{
    private static readonly string[] Valid =
    [
        "{ }",
        "{ span.http.response.status_code >= 500 }",
        "{ resource.service.name = \"checkout\" } >> { span.db.system = \"sqlite\" && duration > 10ms }",
        "{ .tags = \"a\" } &~ { status = error } | count() > 1",
        "{ name =~ \"GET.*\" } | by(resource.service.name) | avg(duration) > 1ms | select(span.size)",
        "{ event:name = \"exception\" } !< { link:traceID != nil }",
        "{ } | rate() by (resource.service.name)",
        "{ kind = client } | quantile_over_time(duration, .5, .99) by (name) | topk(3)",
        "{ } | compare({ status = error }, 5)",
        "({ .size * 2 + 1 > 10 } || { trace:rootService = \"frontend\" }) | coalesce() with(sample=true)",
    ];

    private static readonly string[] Tokens =
    [
        "{", "}", "(", ")", "|", "&&", "||", "!", ">", ">>", "<", "<<", "~", "&>", "&>>", "!>", "!~", "=", "!=", "=~", ">=", "<=",
        "+", "-", "*", "/", "^", "%", ",", ".", "span.", "resource.", "parent.", "event:", "link:", "trace:", "duration", "name",
        "status", "kind", "nil", "true", "error", "ok", "client", "1", "-9223372036854775808", "1e308", "10ms", "1h", "\"a\"",
        "\"\\u0000\"", "\"unterminated", "count()", "avg(", "rate()", "by", "select", "with", "topk(", "compare(", "µs", "\u00e9",
        "\ud83d\ude00", " ", "\n", "\t",
    ];

    [Fact]
    public async Task Random_and_mutated_queries_end_in_an_answer_or_a_query_error()
    {
        var engine = await CheckoutTrace.EngineAsync();
        var random = new Random(20261201);
        var answered = 0;
        for (var round = 0; round < 3_000; round++)
        {
            var query = round % 2 == 0 ? TokenSoup(random) : Mutate(Valid[random.Next(Valid.Length)], random);
            try
            {
                if (query.Contains("_over_time", StringComparison.Ordinal) || query.Contains("rate()", StringComparison.Ordinal) || query.Contains("compare(", StringComparison.Ordinal))
                    await engine.QueryRangeAsync(new TraceQLMetricsRequest { Query = query, StartUnixNano = CheckoutTrace.Request("{ }").StartUnixNano, EndUnixNano = CheckoutTrace.Request("{ }").EndUnixNano }, CancellationToken.None);
                else
                    await engine.SearchAsync(CheckoutTrace.Request(query), CancellationToken.None);
                answered++;
            }
            catch (Exception ex) when (ex is TraceQLSyntaxException or TraceQLQueryException)
            {
                Assert.False(string.IsNullOrWhiteSpace(ex.Message), $"round {round}: an error without a message for {Show(query)}");
            }
            catch (Exception ex)
            {
                Assert.Fail($"round {round}: {ex.GetType().Name} escaped for {Show(query)}: {ex}");
            }
        }
        // The mutations keep enough queries valid that the evaluator, not only the parser, is exercised.
        Assert.True(answered >= 100, $"only {answered} of 3,000 queries ran");
    }

    private static string TokenSoup(Random random)
    {
        var text = new StringBuilder();
        for (var i = random.Next(1, 30); i > 0; i--) text.Append(Tokens[random.Next(Tokens.Length)]).Append(random.Next(3) == 0 ? "" : " ");
        return text.ToString();
    }

    private static string Mutate(string query, Random random)
    {
        var chars = new StringBuilder(query);
        for (var i = random.Next(1, 4); i > 0 && chars.Length > 0; i--)
        {
            var at = random.Next(chars.Length);
            switch (random.Next(4))
            {
                case 0: chars.Remove(at, 1); break;
                case 1: chars.Insert(at, Tokens[random.Next(Tokens.Length)]); break;
                case 2: chars[at] = (char)random.Next(0x20, 0x7f); break;
                default: chars.Length = at; break;
            }
        }
        return chars.ToString();
    }

    private static string Show(string query) => "\"" + query.Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
}
