using System.Globalization;
using Threadline.Sdk.Export.Otlp;

namespace Threadline.Demo;

/// <summary>
/// The <c>threadline-demo service</c> command line: <see cref="DemoLauncher"/> writes it and the
/// program parses it, so both take the names from here.
/// </summary>
public static class DemoServiceCommandLine
{
    /// <summary>The subcommand that runs one demo service.</summary>
    public const string CommandName = "service";

    /// <summary>The HTTP port option.</summary>
    public const string PortOption = "--port";

    /// <summary>notification-service's queue port option.</summary>
    public const string QueuePortOption = "--queue-port";

    /// <summary>The OTLP endpoint option.</summary>
    public const string OtlpEndpointOption = "--otlp-endpoint";

    /// <summary>The OTLP protocol option: <c>grpc</c>, <c>http/protobuf</c> or <c>http/json</c>.</summary>
    public const string OtlpProtocolOption = "--otlp-protocol";

    /// <summary>A peer address, <c>name=url</c>; repeatable.</summary>
    public const string PeerOption = "--peer";

    /// <summary>Run under a launcher (see <see cref="DemoServiceOptions.Supervised"/>).</summary>
    public const string SupervisedOption = "--supervised";

    /// <summary>The protocol names the OTLP protocol option accepts, as in OTEL_EXPORTER_OTLP_PROTOCOL.</summary>
    public static IReadOnlyList<string> ProtocolNames { get; } = ["grpc", "http/protobuf", "http/json"];

    /// <summary>Reads a protocol name as in OTEL_EXPORTER_OTLP_PROTOCOL.</summary>
    public static bool TryParseProtocol(string? name, out OtlpExportProtocol protocol)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "grpc": protocol = OtlpExportProtocol.Grpc; return true;
            case "http/protobuf": protocol = OtlpExportProtocol.HttpProtobuf; return true;
            case "http/json": protocol = OtlpExportProtocol.HttpJson; return true;
            default: protocol = default; return false;
        }
    }

    /// <summary>The name of <paramref name="protocol"/> as the OTLP protocol option takes it.</summary>
    public static string ProtocolName(OtlpExportProtocol protocol) => protocol switch
    {
        OtlpExportProtocol.HttpProtobuf => "http/protobuf",
        OtlpExportProtocol.HttpJson => "http/json",
        _ => "grpc",
    };

    /// <summary>
    /// Reads a <c>name=url</c> peer. The address must be on this machine: the demo's own traffic never
    /// leaves it.
    /// </summary>
    public static bool TryParsePeer(string text, out string name, out Uri? address, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        name = string.Empty;
        address = null;
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            problem = $"'{text}' is not name=url, e.g. {DemoServiceNames.OrderService}=http://127.0.0.1:5001.";
            return false;
        }
        name = text[..equals].Trim();
        if (!Uri.TryCreate(text[(equals + 1)..].Trim(), UriKind.Absolute, out address))
        {
            problem = $"the address of peer '{name}' is not an absolute URL.";
            return false;
        }
        if (!LoopbackAddress.IsLoopback(address))
        {
            problem = $"peer '{name}' is at {address.Host}; the demo only talks to 127.0.0.1 (or ::1, localhost).";
            address = null;
            return false;
        }
        problem = null;
        return true;
    }

    /// <summary>The arguments that run <paramref name="service"/> under a launcher.</summary>
    internal static IReadOnlyList<string> SupervisedArguments(string service, Uri otlpEndpoint, OtlpExportProtocol protocol) =>
    [
        CommandName, service,
        PortOption, 0.ToString(CultureInfo.InvariantCulture),
        OtlpEndpointOption, otlpEndpoint.ToString(),
        OtlpProtocolOption, ProtocolName(protocol),
        SupervisedOption,
    ];
}
