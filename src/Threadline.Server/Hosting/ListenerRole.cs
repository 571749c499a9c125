namespace Threadline.Server.Hosting;

/// <summary>What a listening port is for. Each role has its own port and its own routes.</summary>
public enum ListenerRole
{
    OtlpGrpc,
    OtlpHttp,
    Zipkin,
    Api,
}

/// <summary>Endpoint metadata confining a route to the listener of one role.</summary>
internal sealed record ListenerRoleMetadata(ListenerRole Role);
