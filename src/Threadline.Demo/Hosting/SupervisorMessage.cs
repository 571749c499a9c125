using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Threadline.Demo.Hosting;

/// <summary>
/// What a launcher and its service processes say to each other, one JSON line each, prefixed so that
/// anything else a process prints cannot be mistaken for it. A service says <c>listening</c> (with the
/// endpoints it bound), the launcher answers <c>peers</c> (everyone's endpoints), the service says
/// <c>ready</c>. Later a service says <c>export-failed</c> (with the exporter's own words) each time a
/// batch of its spans was not delivered, so the launcher can tell the user. Closing the service's
/// standard input tells it to stop.
/// </summary>
internal sealed record SupervisorMessage(string Type, string Service, Dictionary<string, Uri>? Endpoints = null, string? Detail = null)
{
    public const string ListeningType = "listening";
    public const string PeersType = "peers";
    public const string ReadyType = "ready";
    public const string ExportFailedType = "export-failed";

    private const string Prefix = "@threadline-demo ";

    public static SupervisorMessage Listening(string service, IReadOnlyDictionary<string, Uri> endpoints) =>
        new(ListeningType, service, new Dictionary<string, Uri>(endpoints, StringComparer.Ordinal));

    public static SupervisorMessage Peers(string service, IReadOnlyDictionary<string, Uri> endpoints) =>
        new(PeersType, service, new Dictionary<string, Uri>(endpoints, StringComparer.Ordinal));

    public static SupervisorMessage Ready(string service) => new(ReadyType, service);

    public static SupervisorMessage ExportFailed(string service, string detail) => new(ExportFailedType, service, Detail: detail);

    public string Format() => Prefix + JsonSerializer.Serialize(this);

    /// <summary>Reads a protocol line; false for any other output.</summary>
    public static bool TryParse(string? line, [NotNullWhen(true)] out SupervisorMessage? message)
    {
        message = null;
        if (line is null || !line.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        try
        {
            message = JsonSerializer.Deserialize<SupervisorMessage>(line.AsSpan(Prefix.Length));
        }
        catch (JsonException)
        {
            return false;
        }
        return message is not null;
    }
}
