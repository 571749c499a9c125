using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Threadline.Demo.Hosting;
using Threadline.Sdk;
using Threadline.Sdk.Propagation;

namespace Threadline.Demo.Messaging;

/// <summary>
/// Publishes to the loopback queue over one TCP connection, with a PRODUCER span per message whose
/// context travels in the message headers.
/// </summary>
internal sealed class LoopbackQueuePublisher(PeerDirectory peers) : IAsyncDisposable
{
    private static readonly CarrierSetter<Dictionary<string, string>> SetHeader = static (headers, name, value) => headers[name] = value;

    // One message in flight on the connection at a time, so each acknowledgement answers its message.
    private readonly SemaphoreSlim _connectionLock = new(1, 1);
    private TcpClient? _client;
    private StreamReader? _reader;
    private StreamWriter? _writer;

    /// <summary>Sends <paramref name="body"/> to <paramref name="destination"/> and returns once the queue holds it.</summary>
    public async Task PublishAsync(string destination, object body, CancellationToken cancellationToken)
    {
        var queue = peers.Get(DemoEndpointNames.NotificationQueue);
        var id = Guid.NewGuid().ToString("n");
        using var span = DemoTelemetry.Messaging.StartSpan(
            "publish " + destination,
            ActivityKind.Producer,
            [
                new("messaging.system", "threadline_loopback"),
                new("messaging.destination.name", destination),
                new("messaging.operation.type", "send"),
                new("messaging.operation.name", "publish"),
                new("messaging.message.id", id),
                new("server.address", queue.Host),
                new("server.port", (long)queue.Port),
            ]);

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        // The consumer links to this span: its context is what the headers must carry.
        TextMapPropagators.Inject(span ?? Activity.Current, headers, SetHeader);
        var line = JsonSerializer.Serialize(new QueueMessage(id, destination, headers, JsonSerializer.SerializeToElement(body)));
        span.SetAttribute("messaging.message.body.size", (long)Encoding.UTF8.GetByteCount(line));

        await _connectionLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var (reader, writer) = await ConnectAsync(queue, cancellationToken).ConfigureAwait(false);
            await writer.WriteLineAsync(line.AsMemory(), cancellationToken).ConfigureAwait(false);
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            var answer = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (answer != "ack " + id)
                throw new IOException($"The queue at {queue} answered '{answer ?? "(connection closed)"}' instead of acknowledging message {id}.");
        }
        catch (Exception exception) when (exception is IOException or SocketException)
        {
            // The next message reconnects; this one is reported failed to the caller.
            Disconnect();
            span.RecordException(exception);
            span.SetAttribute("error.type", exception.GetType().FullName);
            span.SetSpanStatus(ActivityStatusCode.Error, exception.Message);
            throw;
        }
        finally
        {
            _connectionLock.Release();
        }
    }

    private async Task<(StreamReader Reader, StreamWriter Writer)> ConnectAsync(Uri queue, CancellationToken cancellationToken)
    {
        if (_client is { Connected: true } && _reader is not null && _writer is not null) return (_reader, _writer);
        Disconnect();
        var client = new TcpClient { NoDelay = true };
        try
        {
            await client.ConnectAsync(queue.Host, queue.Port, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            client.Dispose();
            throw;
        }
        var stream = client.GetStream();
        _client = client;
        _reader = new StreamReader(stream, Encoding.UTF8);
        _writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" };
        return (_reader, _writer);
    }

    private void Disconnect()
    {
        // Closing the socket is enough: the reader and writer only wrap its stream, and flushing the
        // writer of a broken connection would throw.
        _client?.Dispose();
        (_reader, _writer, _client) = (null, null, null);
    }

    public ValueTask DisposeAsync()
    {
        Disconnect();
        _connectionLock.Dispose();
        return ValueTask.CompletedTask;
    }
}
