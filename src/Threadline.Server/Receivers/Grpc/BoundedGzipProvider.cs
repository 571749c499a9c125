using System.IO.Compression;
using Grpc.Core;
using Grpc.Net.Compression;

namespace Threadline.Server.Receivers.Grpc;

/// <summary>
/// <c>grpc-encoding: gzip</c> for Grpc.AspNetCore, in place of its own provider: that one inflates
/// without a bound (a gzip bomb would fill memory before the size limit is checked) and lets a
/// corrupt stream escape as UNKNOWN. This one stops at the message size limit with
/// RESOURCE_EXHAUSTED and answers corrupt gzip with INVALID_ARGUMENT.
/// </summary>
internal sealed class BoundedGzipProvider : ICompressionProvider
{
    private readonly int _maxInflatedBytes;

    public BoundedGzipProvider(int maxInflatedBytes) => _maxInflatedBytes = maxInflatedBytes;

    public string EncodingName => "gzip";

    public Stream CreateCompressionStream(Stream stream, CompressionLevel? compressionLevel) =>
        new GZipStream(stream, compressionLevel ?? CompressionLevel.Fastest, leaveOpen: true);

    public Stream CreateDecompressionStream(Stream stream) =>
        new InflatingStream(new GZipStream(stream, CompressionMode.Decompress), _maxInflatedBytes);

    /// <summary>A read-only view of the inflater that counts what it hands out and turns failures into gRPC statuses.</summary>
    private sealed class InflatingStream : Stream
    {
        private readonly GZipStream _inflater;
        private readonly int _limit;
        private long _inflated;

        public InflatingStream(GZipStream inflater, int limit)
        {
            _inflater = inflater;
            _limit = limit;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int read;
            try
            {
                read = _inflater.Read(buffer);
            }
            catch (InvalidDataException ex)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument,
                    $"The message is not valid gzip after {_inflated} inflated bytes: {ex.Message} Send it uncompressed or as one gzip stream."));
            }
            _inflated += read;
            if (_inflated > _limit)
            {
                throw new RpcException(new Status(StatusCode.ResourceExhausted,
                    $"The gzip message inflates past the limit of {_limit} bytes; send smaller batches."));
            }
            return read;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _inflated; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) _inflater.Dispose();
            base.Dispose(disposing);
        }
    }
}
