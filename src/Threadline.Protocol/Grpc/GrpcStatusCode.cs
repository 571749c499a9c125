namespace Threadline.Protocol.Grpc;

/// <summary>The gRPC status codes Threadline answers with (numbered as in the gRPC spec; google.rpc.Code uses the same numbers).</summary>
public enum GrpcStatusCode
{
    Ok = 0,
    ResourceExhausted = 8,
    Unavailable = 14,
}
