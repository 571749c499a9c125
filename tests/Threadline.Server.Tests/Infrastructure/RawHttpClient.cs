using System.Net.Sockets;
using System.Text;

namespace Threadline.Server.Tests.Infrastructure;

/// <summary>
/// An HTTP/1.1 client that behaves like Python's http.client and many simple exporters: it writes the
/// whole request before it reads a byte of the answer. HttpClient reads while it sends, so it cannot
/// show what such clients see when a server answers early.
/// </summary>
internal static class RawHttpClient
{
    /// <summary>The status line and headers of the answer (the body is not read).</summary>
    public sealed record Answer(int Status, string Head)
    {
        public bool ClosesConnection => Head.Contains("\r\nConnection: close", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Writes the request line, <paramref name="headers"/> and <paramref name="body"/> in full, then reads the answer.</summary>
    public static async Task<Answer> SendWholeThenReadAsync(Uri endpoint, string path, string headers, byte[] body, bool chunked)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(endpoint.Host, endpoint.Port, TestContext.Timeout);
        var stream = client.GetStream();
        var framing = chunked ? "Transfer-Encoding: chunked\r\n" : $"Content-Length: {body.Length}\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nHost: {endpoint.Authority}\r\n{headers}{framing}\r\n"), TestContext.Timeout);
        const int Piece = 64 * 1024;
        for (var offset = 0; offset < body.Length; offset += Piece)
        {
            var length = Math.Min(Piece, body.Length - offset);
            if (chunked) await stream.WriteAsync(Encoding.ASCII.GetBytes($"{length:x}\r\n"), TestContext.Timeout);
            await stream.WriteAsync(body.AsMemory(offset, length), TestContext.Timeout);
            if (chunked) await stream.WriteAsync("\r\n"u8.ToArray(), TestContext.Timeout);
        }
        if (chunked) await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), TestContext.Timeout);
        return await ReadHeadAsync(stream);
    }

    /// <summary>Writes only the request line and headers, then reads the answer.</summary>
    public static async Task<Answer> SendHeadThenReadAsync(Uri endpoint, string path, string headers)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(endpoint.Host, endpoint.Port, TestContext.Timeout);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nHost: {endpoint.Authority}\r\n{headers}\r\n"), TestContext.Timeout);
        return await ReadHeadAsync(stream);
    }

    private static async Task<Answer> ReadHeadAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var buffer = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(buffer, TestContext.Timeout) == 0) throw new IOException("The server closed the connection before answering.");
            head.Append((char)buffer[0]);
        }
        var text = head.ToString();
        return new Answer(int.Parse(text.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture), text);
    }
}
