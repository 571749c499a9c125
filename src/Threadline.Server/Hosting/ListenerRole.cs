namespace Threadline.Server.Hosting;

/// <summary>What a listening port is for. Each role has its own port and its own routes.</summary>
public enum ListenerRole
{
    OtlpGrpc,
    OtlpHttp,
    Zipkin,
    Api,

    /// <summary>The Tempo-compatible API: HTTP/1.1 and cleartext HTTP/2 (its gRPC StreamingQuerier) on one port.</summary>
    Tempo,
}

/// <summary>Endpoint metadata confining a route to the listener of one role.</summary>
internal sealed record ListenerRoleMetadata(ListenerRole Role);
