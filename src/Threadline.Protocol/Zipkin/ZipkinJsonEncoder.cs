using Threadline.Core.Model;

namespace Threadline.Protocol.Zipkin;

/// <summary>Encodes Core spans as a Zipkin v2 JSON span list.</summary>
public static class ZipkinJsonEncoder
{
    public static byte[] Encode(IReadOnlyList<Span> spans) => throw new NotImplementedException();
}
