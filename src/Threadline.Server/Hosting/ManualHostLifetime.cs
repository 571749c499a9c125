using Microsoft.Extensions.Hosting;

namespace Threadline.Server.Hosting;

/// <summary>
/// A host lifetime that listens to no signal. <see cref="ThreadlineServer"/> is stopped by
/// whoever started it (the CLI on Ctrl+C, a test when done); the default console lifetime would
/// also catch Ctrl+C and begin a second, unordered shutdown that skips draining the queue.
/// </summary>
internal sealed class ManualHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
