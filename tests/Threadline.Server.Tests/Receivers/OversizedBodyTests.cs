using Threadline.Server.Hosting;
using Threadline.Server.Tests.Infrastructure;

namespace Threadline.Server.Tests.Receivers;

/// <summary>
/// A body over the limit is answered 413 even to a client that writes the whole body before reading:
/// the receiver reads and throws away the rest (up to a bound) instead of closing on a client that is
/// still writing, which that client would see as a broken pipe.
/// </summary>
public sealed class OversizedBodyTests
{
    private const int Limit = 1024;
    private static readonly byte[] EightMiB = new byte[8 * 1024 * 1024];

    public static TheoryData<string, bool> Receivers => new()
    {
        { "otlp", false },
        { "otlp", true },
        { "zipkin", false },
        { "zipkin", true },
    };

    [Theory]
    [MemberData(nameof(Receivers))]
    public async Task Client_that_writes_the_whole_body_before_reading_gets_the_413(string receiver, bool chunked)
    {
        await using var server = await TestServer.StartAsync(o => o.Receivers.MaxRequestBodyBytes = Limit);
        var (endpoint, path, contentType) = Target(server, receiver);

        var answer = await RawHttpClient.SendWholeThenReadAsync(endpoint, path, $"Content-Type: {contentType}\r\n", EightMiB, chunked);

        Assert.Equal(413, answer.Status);
        Assert.False(answer.ClosesConnection);
    }

    [Fact]
    public async Task Expect_100_continue_is_answered_413_without_asking_for_the_body()
    {
        await using var server = await TestServer.StartAsync(o => o.Receivers.MaxRequestBodyBytes = Limit);

        var answer = await RawHttpClient.SendHeadThenReadAsync(
            server.OtlpHttpEndpoint,
            "/v1/traces",
            $"Content-Type: application/x-protobuf\r\nContent-Length: {EightMiB.Length}\r\nExpect: 100-continue\r\n");

        Assert.Equal(413, answer.Status);
    }

    [Fact]
    public async Task Body_declared_past_what_is_ever_read_is_answered_at_once_and_the_connection_closed()
    {
        await using var server = await TestServer.StartAsync(o => o.Receivers.MaxRequestBodyBytes = Limit);

        // 1 GiB declared and never sent: the server must not wait for it.
        var answer = await RawHttpClient.SendHeadThenReadAsync(
            server.OtlpHttpEndpoint,
            "/v1/traces",
            "Content-Type: application/x-protobuf\r\nContent-Length: 1073741824\r\n");

        Assert.Equal(413, answer.Status);
        Assert.True(answer.ClosesConnection);
    }

    private static (Uri Endpoint, string Path, string ContentType) Target(ThreadlineServer server, string receiver) => receiver == "otlp"
        ? (server.OtlpHttpEndpoint, "/v1/traces", "application/x-protobuf")
        : (server.ZipkinEndpoint, "/api/v2/spans", "application/json");
}
