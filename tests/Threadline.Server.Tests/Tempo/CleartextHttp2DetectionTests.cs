using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Threadline.Server.Hosting;
using Threadline.Server.Tests.Infrastructure;

namespace Threadline.Server.Tests.Tempo;

public sealed class CleartextHttp2DetectionTests
{
    [Fact]
    public async Task The_http2_preface_marks_the_connection_h2_and_is_left_for_kestrel_to_read()
    {
        var (connection, client) = Connection();
        await client.Output.WriteAsync("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0"u8.ToArray());

        var seen = await RunAsync(connection, TestContext.SignalTimeout);

        Assert.NotNull(seen);
        Assert.Equal("h2"u8.ToArray(), connection.Features.Get<ITlsApplicationProtocolFeature>()!.ApplicationProtocol.ToArray());
        Assert.StartsWith("PRI * HTTP/2.0", System.Text.Encoding.ASCII.GetString(seen), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_http1_request_passes_through_unmarked_after_its_first_bytes()
    {
        var (connection, client) = Connection();
        await client.Output.WriteAsync("PO"u8.ToArray());

        var seen = await RunAsync(connection, TestContext.SignalTimeout);

        Assert.Equal("PO", System.Text.Encoding.ASCII.GetString(seen!));
        Assert.Null(connection.Features.Get<ITlsApplicationProtocolFeature>());
        Assert.Null(connection.Features.Get<ITlsConnectionFeature>());
    }

    [Fact]
    public async Task A_connection_that_sends_nothing_is_closed_after_the_timeout()
    {
        var (connection, _) = Connection();
        var aborted = new TaskCompletionSource();
        connection.ConnectionClosed.Register(() => aborted.TrySetResult());

        var seen = await RunAsync(connection, TimeSpan.FromMilliseconds(50));

        Assert.Null(seen);
        await aborted.Task.WaitAsync(TestContext.SignalTimeout);
    }

    // Runs the middleware; the next delegate records the bytes still unread on the connection (null if it is never called).
    private static async Task<byte[]?> RunAsync(ConnectionContext connection, TimeSpan timeout)
    {
        byte[]? seen = null;
        var middleware = CleartextHttp2Detection.Middleware(timeout)(async next =>
        {
            var result = await next.Transport.Input.ReadAsync();
            seen = result.Buffer.ToArray();
            next.Transport.Input.AdvanceTo(result.Buffer.End);
        });
        await middleware(connection).WaitAsync(TestContext.SignalTimeout);
        return seen;
    }

    private static (DefaultConnectionContext Connection, IDuplexPipe Client) Connection()
    {
        var pair = DuplexPipe.CreatePair();
        return (new DefaultConnectionContext("test", pair.Server, pair.Client), pair.Client);
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;

        public static (IDuplexPipe Server, IDuplexPipe Client) CreatePair()
        {
            var toServer = new Pipe();
            var toClient = new Pipe();
            return (new DuplexPipe(toServer.Reader, toClient.Writer), new DuplexPipe(toClient.Reader, toServer.Writer));
        }
    }
}
