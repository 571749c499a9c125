using System.Net;

namespace Threadline.Demo;

/// <summary>The demo's rule for its own traffic: this machine only.</summary>
internal static class LoopbackAddress
{
    public static bool IsLoopback(Uri address) =>
        address.IsLoopback || (IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
