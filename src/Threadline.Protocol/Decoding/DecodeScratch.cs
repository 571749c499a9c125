using Threadline.Core.Model;

namespace Threadline.Protocol.Decoding;

/// <summary>
/// The per-thread working memory of the decoders: collection stacks and the string cache. Kept
/// per thread (not per call) so that a receiver decoding request after request allocates only
/// the objects it returns, and so that attribute keys stay interned across requests.
/// </summary>
internal sealed class DecodeScratch
{
    [ThreadStatic]
    private static DecodeScratch? t_cached;

    public Utf8StringCache Strings { get; } = new();
    public KeyValueCache Attributes { get; } = new();
    public ScratchList<KeyValue> KeyValues { get; } = new(64);
    public ScratchList<AttributeValue> Values { get; } = new(16);
    public ScratchList<SpanEvent> Events { get; } = new(16);
    public ScratchList<SpanLink> Links { get; } = new(8);
    public ScratchList<Span> Spans { get; } = new(128);

    /// <summary>Takes the thread's scratch (or a new one); it is not visible to anyone else until returned.</summary>
    public static DecodeScratch Rent()
    {
        var scratch = t_cached ?? new DecodeScratch();
        t_cached = null;
        return scratch;
    }

    /// <summary>Clears the stacks (also after a failed decode) and keeps the scratch for the next call on this thread.</summary>
    public static void Return(DecodeScratch scratch)
    {
        scratch.KeyValues.Reset();
        scratch.Values.Reset();
        scratch.Events.Reset();
        scratch.Links.Reset();
        scratch.Spans.Reset();
        t_cached = scratch;
    }
}
