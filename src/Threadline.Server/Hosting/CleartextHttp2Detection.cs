using System.Buffers;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Threadline.Server.Hosting;

/// <summary>
/// Lets one cleartext port speak HTTP/1.1 and HTTP/2 with prior knowledge, as Tempo's port does
/// for Grafana (HTTP API and gRPC together). Kestrel picks HTTP/2 on an Http1AndHttp2 endpoint
/// only when ALPN said "h2"; without TLS there is no ALPN, so it would always pick HTTP/1.1 and
/// refuse a gRPC client's HTTP/2 preface. This connection middleware peeks at the first bytes
/// (consuming nothing) and, when they are the HTTP/2 connection preface, tells Kestrel what
/// ALPN would have told it. Requests keep their <c>http</c> scheme
/// (<c>AllowAlternateSchemes</c>), and no TLS handshake feature is set, so nothing checks TLS rules.
/// </summary>
/// <remarks>
/// The peek happens before Kestrel's own timeouts apply, so it has one of its own: a connection
/// that sends nothing within <c>firstBytesTimeout</c> (Kestrel's request-headers timeout) is closed,
/// as Kestrel would close it.
/// </remarks>
internal static class CleartextHttp2Detection
{
    // RFC 9113, section 3.4: every HTTP/2 connection starts with these 24 octets.
    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    public static Func<ConnectionDelegate, ConnectionDelegate> Middleware(TimeSpan firstBytesTimeout) => next => async connection =>
    {
        bool http2;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed))
        {
            timeout.CancelAfter(firstBytesTimeout);
            try
            {
                http2 = await StartsWithPrefaceAsync(connection, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                connection.Abort(new ConnectionAbortedException($"Nothing was sent within {firstBytesTimeout.TotalSeconds:0.###} s of connecting."));
                return;
            }
        }
        if (http2)
        {
            var negotiated = new PriorKnowledge();
            connection.Features.Set<ITlsConnectionFeature>(negotiated);
            connection.Features.Set<ITlsApplicationProtocolFeature>(negotiated);
        }
        await next(connection).ConfigureAwait(false);
    };

    // Reads until the bytes differ from the preface (an HTTP/1.1 request differs by its second
    // byte at the latest) or all 24 match; examined but not consumed, so Kestrel reads them again.
    private static async Task<bool> StartsWithPrefaceAsync(ConnectionContext connection, CancellationToken cancellationToken)
    {
        var input = connection.Transport.Input;
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var length = (int)Math.Min(buffer.Length, Preface.Length);
            var start = buffer.Slice(0, length).ToArray();
            var matches = start.AsSpan().SequenceEqual(Preface.AsSpan(0, length));
            if (!matches || length == Preface.Length || result.IsCompleted || result.IsCanceled)
            {
                input.AdvanceTo(buffer.Start);
                return matches && length == Preface.Length;
            }
            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private sealed class PriorKnowledge : ITlsConnectionFeature, ITlsApplicationProtocolFeature
    {
        public ReadOnlyMemory<byte> ApplicationProtocol { get; } = "h2"u8.ToArray();

        public X509Certificate2? ClientCertificate
        {
            get => null;
            set { }
        }

        public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult<X509Certificate2?>(null);
    }
}
