using System.Globalization;

namespace Threadline.Cli.Load;

/// <summary>
/// The store's own figures from the server's <c>/metrics</c> (Prometheus text): every unlabelled
/// <c>threadline_store_*</c> sample (gauges, counters, histogram sums and counts). They say where
/// the time and the bytes go (fsyncs per append, head cuts, block bytes and spans) without
/// loadgen knowing any engine.
/// </summary>
internal static class StoreMetricsSnapshot
{
    private const string Prefix = "threadline_store_";

    public static async Task<IReadOnlyDictionary<string, double>> ScrapeAsync(Uri api, CancellationToken cancellationToken) =>
        await ScrapeAsync(api, Prefix, cancellationToken).ConfigureAwait(false);

    /// <summary>The unlabelled samples of <c>/metrics</c> whose name starts with <paramref name="prefix"/>; empty when the server cannot be reached.</summary>
    public static async Task<IReadOnlyDictionary<string, double>> ScrapeAsync(Uri api, string prefix, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            return Parse(await http.GetStringAsync(new Uri(api, "/metrics"), cancellationToken).ConfigureAwait(false), prefix);
        }
        catch (HttpRequestException)
        {
            return new Dictionary<string, double>();
        }
    }

    public static IReadOnlyDictionary<string, double> Parse(string text) => Parse(text, Prefix);

    /// <summary>Every unlabelled sample whose name starts with <paramref name="prefix"/>.</summary>
    public static IReadOnlyDictionary<string, double> Parse(string text, string prefix)
    {
        var samples = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith(prefix, StringComparison.Ordinal) || line.Contains('{', StringComparison.Ordinal)) continue;
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space < 0) continue;
            var value = line[(space + 1)..].Trim().Split(' ')[0];
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)) samples[line[..space]] = number;
        }
        return samples;
    }
}
