namespace Threadline.Protocol.Zipkin;

/// <summary>Decodes a Zipkin v2 JSON span list into Core spans.</summary>
public static class ZipkinJsonDecoder
{
    public static DecodedSpans Decode(ReadOnlySpan<byte> utf8Json, DecodeLimits limits) => throw new NotImplementedException();
}
