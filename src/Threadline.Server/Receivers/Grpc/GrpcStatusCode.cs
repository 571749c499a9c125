namespace Threadline.Server.Receivers.Grpc;

/// <summary>The gRPC status codes this receiver answers with (numbered as in the gRPC spec).</summary>
internal enum GrpcStatusCode
{
    Ok = 0,
    InvalidArgument = 3,
    DeadlineExceeded = 4,
    ResourceExhausted = 8,
    Unimplemented = 12,
    Internal = 13,
    Unavailable = 14,
}
