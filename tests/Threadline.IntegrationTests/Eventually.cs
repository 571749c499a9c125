namespace Threadline.IntegrationTests;

/// <summary>Polls the API until what a test waits for has arrived, within a bounded time.</summary>
internal static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T>> read, Func<T, bool> arrived, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var value = await read();
            if (arrived(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Gave up waiting for {what}.");
            await Task.Delay(100);
        }
    }
}
