namespace Threadline.Cli.Load;

/// <summary>The OTLP transports loadgen speaks.</summary>
internal enum LoadProtocol
{
    /// <summary>OTLP/HTTP protobuf, POST /v1/traces over HTTP/1.1.</summary>
    Http,

    /// <summary>OTLP/gRPC over HTTP/2 cleartext.</summary>
    Grpc,
}

/// <summary>Where a load run sends, and how: an OTLP/HTTP traces URL or an OTLP/gRPC server address.</summary>
internal sealed record LoadTarget(LoadProtocol Protocol, Uri Endpoint)
{
    public IExportSender CreateSender(int concurrency) => Protocol switch
    {
        LoadProtocol.Grpc => new OtlpGrpcSender(Endpoint),
        _ => new OtlpHttpSender(Endpoint, concurrency),
    };

    public override string ToString() => Protocol == LoadProtocol.Grpc ? $"OTLP/gRPC {Endpoint}" : $"OTLP/HTTP {Endpoint}";
}
