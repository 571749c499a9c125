namespace Threadline.Pipeline.Tests;

internal static class HangGuard
{
    // Not a timing assertion: every awaited task here completes as soon as the test lets it.
    // The limit only turns a deadlock bug into a failing test instead of a hung test run.
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);

    public static Task Guarded(this Task task) => task.WaitAsync(Limit);

    public static Task<T> Guarded<T>(this Task<T> task) => task.WaitAsync(Limit);
}
