namespace Threadline.Protocol.Grpc;

/// <summary>
/// A gRPC status that refuses a call, with a message naming what was wrong. The factories are the
/// framing rules of a unary call: exactly one whole message.
/// </summary>
public readonly record struct GrpcRefusal(GrpcStatusCode Status, string Message)
{
    public static GrpcRefusal NoMessage() =>
        new(GrpcStatusCode.InvalidArgument, "The request carries no message; Export takes exactly one ExportTraceServiceRequest.");

    public static GrpcRefusal PartialPrefix(long received) =>
        new(GrpcStatusCode.InvalidArgument, $"The request ends inside the {GrpcMessagePrefix.Size}-byte message prefix after {received} bytes.");

    public static GrpcRefusal Truncated(long received, long announced) =>
        new(GrpcStatusCode.InvalidArgument, $"The message is truncated: the prefix announces {announced} bytes but the request ended after {received}.");

    public static GrpcRefusal TooManyMessages() =>
        new(GrpcStatusCode.InvalidArgument, "The request carries more than one message; Export is a unary call that takes exactly one.");

    public static GrpcRefusal BodyTooLarge(int limit) =>
        new(GrpcStatusCode.ResourceExhausted, $"The request body is over the limit of {limit} bytes; send smaller batches.");
}
