namespace Threadline.Demo.Hosting;

/// <summary>
/// Where this service finds the others. Under a launcher the addresses arrive after start-up (every
/// service binds a free port first), so the directory is filled in once, before the service reports ready.
/// </summary>
internal sealed class PeerDirectory
{
    private volatile IReadOnlyDictionary<string, Uri> _peers;

    public PeerDirectory(IEnumerable<KeyValuePair<string, Uri>> peers) => _peers = Copy(peers);

    /// <summary>The address of <paramref name="name"/>: a service name or a <see cref="DemoEndpointNames"/> entry.</summary>
    public Uri Get(string name) =>
        _peers.TryGetValue(name, out var address)
            ? address
            : throw new InvalidOperationException(
                $"No address for '{name}'. Under the launcher every service gets one; run by hand, pass {DemoServiceCommandLine.PeerOption} {name}=http://127.0.0.1:PORT.");

    /// <summary>The base address of <paramref name="service"/> joined with <paramref name="path"/>.</summary>
    public Uri Resolve(string service, string path) => new(Get(service), path);

    public void Replace(IEnumerable<KeyValuePair<string, Uri>> peers) => _peers = Copy(peers);

    private static Dictionary<string, Uri> Copy(IEnumerable<KeyValuePair<string, Uri>> peers) =>
        new(peers.Select(p => KeyValuePair.Create(p.Key, p.Value)), StringComparer.Ordinal);
}
