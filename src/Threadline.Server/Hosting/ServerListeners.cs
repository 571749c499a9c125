using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Threadline.Server.Hosting;

/// <summary>
/// The Kestrel listeners, one per <see cref="ListenerRole"/>, and which role a connection
/// arrived on. Ports are read from the listeners themselves, so port 0 (any free port) works:
/// Kestrel writes the bound port back when it binds.
/// </summary>
internal sealed class ServerListeners
{
    private readonly Dictionary<ListenerRole, ListenOptions> _listeners = [];

    public ServerListeners(IPAddress address) => Address = address;

    public IPAddress Address { get; }

    public void Add(ListenerRole role, ListenOptions listener) => _listeners.Add(role, listener);

    /// <summary>The port a role is bound to (after start), or configured with (before).</summary>
    public int PortOf(ListenerRole role) => _listeners[role].IPEndPoint!.Port;

    /// <summary>The role of the listener the request came in on; null if none matches.</summary>
    public ListenerRole? RoleOf(HttpContext context)
    {
        var port = context.Connection.LocalPort;
        foreach (var (role, listener) in _listeners)
        {
            if (listener.IPEndPoint?.Port == port) return role;
        }
        return null;
    }

    /// <summary>
    /// A URI a client on this machine can connect to. A wildcard address (0.0.0.0, ::) is
    /// replaced by loopback, since it names no host to connect to.
    /// </summary>
    public Uri ClientUri(ListenerRole role)
    {
        var address = Address.Equals(IPAddress.Any) ? IPAddress.Loopback
            : Address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback
            : Address;
        return BuildUri(address, PortOf(role));
    }

    /// <summary>The URI the role is bound to, wildcard and all, as an operator wants to read it.</summary>
    public Uri BoundUri(ListenerRole role) => BuildUri(Address, PortOf(role));

    private static Uri BuildUri(IPAddress address, int port) => new UriBuilder(Uri.UriSchemeHttp, address.ToString(), port).Uri;
}
