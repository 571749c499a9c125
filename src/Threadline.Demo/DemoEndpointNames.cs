namespace Threadline.Demo;

/// <summary>Names of the endpoints services offer each other, besides each service's HTTP address under its own name.</summary>
public static class DemoEndpointNames
{
    /// <summary>The loopback message queue notification-service consumes from (<c>tcp://127.0.0.1:port</c>).</summary>
    public const string NotificationQueue = "notification-queue";
}
