namespace Threadline.Protocol.Grpc;

/// <summary>The HTTP/2 trailers that carry a gRPC call's outcome.</summary>
public static class GrpcStatusTrailers
{
    public const string Status = "grpc-status";
    public const string Message = "grpc-message";

    /// <summary>A google.rpc.Status (see <see cref="RpcStatus"/>); gRPC libraries base64 it as -bin metadata.</summary>
    public const string Details = "grpc-status-details-bin";
}
