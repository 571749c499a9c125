using System.Globalization;

namespace Threadline.Cli.Load;

/// <summary>
/// What a storage run asks the ClickHouse server itself: bytes on disk per table of the run's
/// database (active parts, from <c>system.parts</c>), and dropping that database afterwards.
/// </summary>
internal static class ClickHouseParts
{
    public static async Task<SortedDictionary<string, long>> BytesByTableAsync(string url, string database, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        // Only run-made names reach here (threadline_loadgen_ and letters/digits), so the literal needs no escaping.
        var sql = $"SELECT table, sum(bytes_on_disk) FROM system.parts WHERE active AND database = '{database}' GROUP BY table FORMAT TSV";
        using var content = new StringContent(sql);
        using var response = await http.PostAsync(new Uri(url), content, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"ClickHouse at {url} refused the system.parts query: {text}");
        var sizes = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split('\t');
            sizes[fields[0]] = long.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        return sizes;
    }

    public static async Task DropDatabaseAsync(string url, string database, TextWriter progress)
    {
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            using var content = new StringContent($"DROP DATABASE IF EXISTS {database}");
            using var response = await http.PostAsync(new Uri(url), content).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) progress.WriteLine($"Could not drop the run's database {database} on {url}: {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}");
        }
        catch (HttpRequestException e)
        {
            progress.WriteLine($"Could not drop the run's database {database} on {url}: {e.Message}");
        }
    }
}
