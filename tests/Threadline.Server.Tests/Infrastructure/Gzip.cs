using System.IO.Compression;

namespace Threadline.Server.Tests.Infrastructure;

internal static class Gzip
{
    public static byte[] Compress(ReadOnlySpan<byte> data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(data);
        return output.ToArray();
    }

    /// <summary>
    /// 1 GiB of zeros, gzipped to about 1 MB: inflated naively it would take a gigabyte.
    /// Built once (it takes a fraction of a second) and shared by the bomb tests.
    /// </summary>
    public static byte[] Bomb => LazyBomb.Value;

    private static readonly Lazy<byte[]> LazyBomb = new(() =>
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 1024; i++) gzip.Write(zeros);
        }
        return output.ToArray();
    });
}
