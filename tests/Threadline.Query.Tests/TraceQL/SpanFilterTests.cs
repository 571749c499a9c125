using Threadline.Query.TraceQL;
using static Threadline.Query.Tests.TraceQL.StructuralOperatorTests;

namespace Threadline.Query.Tests.TraceQL;

/// <summary>Field expressions on <see cref="CheckoutTrace"/>: scopes, intrinsics, literals, operators, arrays, nil.</summary>
public sealed class SpanFilterTests
{
    [Theory]
    [InlineData("{ }", "GET /checkout,POST /cart,charge,SELECT,cache get,INSERT")]
    [InlineData("{ span.db.system = \"sqlite\" }", "SELECT,INSERT")]
    [InlineData("{ .db.system = \"sqlite\" }", "SELECT,INSERT")]
    [InlineData("{ .service.name = \"payments\" }", "charge,INSERT")]
    [InlineData("{ resource.service.name = \"checkout\" }", "POST /cart,SELECT,cache get")]
    [InlineData("{ resource.db.system = \"sqlite\" }", "")]
    [InlineData("{ span.service.name = \"checkout\" }", "")]
    [InlineData("{ parent.resource.service.name = \"frontend\" }", "POST /cart,charge")]
    [InlineData("{ parent.span.db.system = \"sqlite\" }", "")]
    [InlineData("{ parent.name = \"x\" || parent.service.name = \"checkout\" }", "SELECT,cache get")]
    [InlineData("{ event.exception.message = \"timeout\" }", "cache get")]
    [InlineData("{ event:name = \"exception\" }", "cache get")]
    [InlineData("{ event:timeSinceStart >= 1ms }", "cache get")]
    [InlineData("{ link.link.kind = \"batch\" }", "INSERT")]
    [InlineData("{ link:traceID = \"00000000000011110000000000002222\" }", "INSERT")]
    [InlineData("{ link:spanID = \"0000000000000033\" }", "INSERT")]
    [InlineData("{ instrumentation:name = \"Microsoft.Data.Sqlite\" && instrumentation:version = \"9.0.0\" }", "SELECT")]
    [InlineData("{ name = \"charge\" }", "charge")]
    [InlineData("{ status = error }", "POST /cart,cache get,INSERT")]
    [InlineData("{ status != error }", "GET /checkout,charge,SELECT")]
    [InlineData("{ statusMessage = \"failed\" }", "POST /cart,cache get,INSERT")]
    [InlineData("{ kind = client }", "SELECT,cache get,INSERT")]
    [InlineData("{ duration >= 30ms }", "GET /checkout,POST /cart,charge")]
    [InlineData("{ duration < 10ms }", "cache get")]
    [InlineData("{ span:childCount = 2 }", "GET /checkout,POST /cart")]
    [InlineData("{ span:childCount = 0 }", "SELECT,cache get,INSERT")]
    [InlineData("{ span:id = \"0000000000000004\" }", "SELECT")]
    [InlineData("{ span:parentID = \"0000000000000003\" }", "INSERT")]
    [InlineData("{ trace:id = \"4bf92f3577b34da6a3ce929d0e0e4736\" && kind = server }", "GET /checkout,POST /cart,charge")]
    [InlineData("{ trace:rootService = \"frontend\" && kind = client }", "SELECT,cache get,INSERT")]
    [InlineData("{ trace:rootName = \"GET /checkout\" && name = \"charge\" }", "charge")]
    [InlineData("{ trace:duration = 100ms && name = \"charge\" }", "charge")]
    [InlineData("{ nestedSetParent = -1 }", "GET /checkout")]
    [InlineData("{ name =~ \"GET.*\" }", "GET /checkout")]
    [InlineData("{ name =~ \"GET\" }", "")]
    [InlineData("{ name !~ \"GET.*|POST.*\" }", "charge,SELECT,cache get,INSERT")]
    [InlineData("{ span.tags = \"b\" }", "charge")]
    [InlineData("{ span.tags != \"a\" }", "")]
    [InlineData("{ span.tags != \"z\" }", "charge")]
    [InlineData("{ span.tags =~ \"[ab]\" }", "charge")]
    [InlineData("{ span.tags !~ \"a\" }", "")]
    [InlineData("{ span.db.system = nil && kind = client }", "cache get")]
    [InlineData("{ span.db.system != nil }", "SELECT,INSERT")]
    [InlineData("{ span.size + 1 = 8 }", "charge")]
    [InlineData("{ span.size * 2 > 12 }", "charge")]
    [InlineData("{ span.size / 2 = 2 }", "INSERT")]
    [InlineData("{ span.size % 2 = 1 && span.size > 6 }", "charge")]
    [InlineData("{ span.size ^ 2 = 49 }", "charge")]
    [InlineData("{ -span.size < -6 }", "charge")]
    [InlineData("{ span.size > 6.5 }", "charge")]
    [InlineData("{ span.size = \"7\" }", "")]
    [InlineData("{ span.size != \"7\" }", "")]
    [InlineData("{ !(kind = client) && status = error }", "POST /cart")]
    [InlineData("{ kind = client || kind = server && status = error }", "POST /cart,cache get,INSERT")]
    [InlineData("{ .missing = 1 || name = \"charge\" }", "charge")]
    public async Task Filters_keep_the_spans_worked_out_by_hand(string query, string expected)
    {
        var engine = await CheckoutTrace.EngineAsync();

        var result = await engine.SearchAsync(CheckoutTrace.Request(query), CancellationToken.None);

        Assert.Equal(Sorted(expected), Sorted(SpanNames(result)));
    }
}
