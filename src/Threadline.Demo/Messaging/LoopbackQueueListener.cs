using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Threadline.Demo.Hosting;

namespace Threadline.Demo.Messaging;

/// <summary>
/// The queue itself: accepts JSON-line messages on a loopback TCP port, holds them in memory and
/// acknowledges each once held. Stopping closes the port and completes <see cref="Messages"/>, so
/// the consumer can drain what was accepted.
/// </summary>
internal sealed class LoopbackQueueListener(DemoServiceOptions options, ServiceEndpoints endpoints, ILogger<LoopbackQueueListener> logger)
    : IHostedService, IDisposable
{
    private readonly Channel<QueueMessage> _messages = Channel.CreateBounded<QueueMessage>(new BoundedChannelOptions(10_000) { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Task, bool> _connections = new();
    private TcpListener? _listener;
    private Task? _accepting;

    /// <summary>The messages accepted so far, in order; completed when the listener stops.</summary>
    public ChannelReader<QueueMessage> Messages => _messages.Reader;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listener = new TcpListener(IPAddress.Loopback, options.QueuePort);
        _listener.Start();
        var port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        endpoints.Add(DemoEndpointNames.NotificationQueue, new Uri($"tcp://127.0.0.1:{port}"));
        _accepting = AcceptAsync(_listener, _stopping.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Stop();
        if (_accepting is not null) await _accepting.ConfigureAwait(false);
        await Task.WhenAll(_connections.Keys).WaitAsync(cancellationToken).ConfigureAwait(false);
        _messages.Writer.TryComplete();
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException && stopping.IsCancellationRequested)
            {
                return;
            }
            var connection = ServeAsync(client, stopping);
            _connections[connection] = true;
            _ = connection.ContinueWith(done => _connections.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken stopping)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.UTF8);
                await using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" };
                while (await reader.ReadLineAsync(stopping).ConfigureAwait(false) is { } line)
                {
                    var message = JsonSerializer.Deserialize<QueueMessage>(line)
                        ?? throw new InvalidDataException("A queue message was the JSON null.");
                    await _messages.Writer.WriteAsync(message, stopping).ConfigureAwait(false);
                    await writer.WriteLineAsync(message.Acknowledgement.AsMemory(), stopping).ConfigureAwait(false);
                    await writer.FlushAsync(stopping).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Stopping: the producer sees the connection close and reports its message failed.
            }
            catch (Exception exception) when (exception is IOException or JsonException or InvalidDataException)
            {
                logger.LogWarning(exception, "Dropped a queue connection from {Remote}.", client.Client.RemoteEndPoint);
            }
        }
    }

    public void Dispose() => _stopping.Dispose();
}
