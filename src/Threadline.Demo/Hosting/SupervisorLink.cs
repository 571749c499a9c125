using System.Threading.Channels;

namespace Threadline.Demo.Hosting;

/// <summary>
/// A service's side of the launcher conversation: messages out on standard output, in on standard
/// input. Standard input reaching its end, whether the launcher closed it or died, means stop.
/// </summary>
internal sealed class SupervisorLink
{
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SupervisorLink()
    {
    }

    /// <summary>Completes when standard input ends.</summary>
    public Task Closed => _closed.Task;

    public static SupervisorLink Open()
    {
        var link = new SupervisorLink();
        // Console input has no truly asynchronous, cancellable read; one background thread blocked on it
        // for the life of the process is the simple, reliable way to notice its end.
        var reader = new Thread(link.ReadInput) { IsBackground = true, Name = "launcher input" };
        reader.Start();
        return link;
    }

    public static void Send(SupervisorMessage message)
    {
        Console.Out.WriteLine(message.Format());
        Console.Out.Flush();
    }

    /// <summary>The next protocol message from the launcher.</summary>
    public async Task<SupervisorMessage> ReceiveAsync(CancellationToken cancellationToken)
    {
        while (await _lines.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (_lines.Reader.TryRead(out var line))
            {
                if (SupervisorMessage.TryParse(line, out var message)) return message;
            }
        }
        throw new InvalidOperationException("The launcher closed standard input before sending the peers' addresses.");
    }

    private void ReadInput()
    {
        try
        {
            while (Console.In.ReadLine() is { } line) _lines.Writer.TryWrite(line);
        }
        catch (IOException)
        {
            // A broken pipe is the launcher going away: the same as the end of input.
        }
        _lines.Writer.TryComplete();
        _closed.TrySetResult();
    }
}
