using System.CommandLine;
using Threadline.CommandLine;
using Threadline.Sdk.Export.Otlp;

namespace Threadline.Demo.CommandLine;

/// <summary>The options the demo and each of its services share, each saying what was wrong with a bad value.</summary>
internal static class DemoCommandOptions
{
    public static Option<Uri> OtlpEndpoint(string description) => new(DemoServiceCommandLine.OtlpEndpointOption)
    {
        Description = description,
        HelpName = "url",
        DefaultValueFactory = _ => DemoServiceOptions.DefaultOtlpEndpoint,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (Uri.TryCreate(text, UriKind.Absolute, out var endpoint) && (endpoint.Scheme == Uri.UriSchemeHttp || endpoint.Scheme == Uri.UriSchemeHttps))
                return endpoint;
            result.AddError($"{DemoServiceCommandLine.OtlpEndpointOption} must be an http:// or https:// URL, e.g. {DemoServiceOptions.DefaultOtlpEndpoint}; got '{text}'");
            return null;
        },
    };

    // Nullable, so that help shows the default by its name (grpc) rather than the enum's; null means gRPC.
    public static Option<OtlpExportProtocol?> OtlpProtocol() => new(DemoServiceCommandLine.OtlpProtocolOption)
    {
        Description = $"OTLP transport: {string.Join(", ", DemoServiceCommandLine.ProtocolNames)} (default grpc).",
        HelpName = "protocol",
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (DemoServiceCommandLine.TryParseProtocol(text, out var protocol)) return protocol;
            result.AddError($"{DemoServiceCommandLine.OtlpProtocolOption} must be one of {string.Join(", ", DemoServiceCommandLine.ProtocolNames)}; got '{text}'");
            return null;
        },
    };

    public static Option<int> Port(string name, string description)
    {
        var port = new Option<int>(name) { Description = description, HelpName = "port" };
        port.Require(value => value is >= 0 and <= 65535, "0-65535 (0 picks a free port)");
        return port;
    }
}
