namespace Threadline.Sdk.Export.Otlp;

/// <summary>The OTLP transport and encoding.</summary>
public enum OtlpExportProtocol
{
    /// <summary>OTLP/gRPC (default endpoint http://localhost:4317).</summary>
    Grpc,

    /// <summary>OTLP/HTTP with binary protobuf (default endpoint http://localhost:4318/v1/traces).</summary>
    HttpProtobuf,

    /// <summary>OTLP/HTTP with the JSON mapping.</summary>
    HttpJson,
}

/// <summary>Where and how the OTLP exporter sends spans. Placeholder: the exporter work fills this in.</summary>
public sealed class OtlpExporterOptions
{
    public OtlpExportProtocol Protocol { get; set; } = OtlpExportProtocol.Grpc;
}
