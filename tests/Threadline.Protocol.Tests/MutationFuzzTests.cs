using System.Collections.Concurrent;
using Threadline.Protocol.Otlp;
using Threadline.Protocol.Zipkin;
using Threadline.Testing;

namespace Threadline.Protocol.Tests;

/// <summary>
/// Mutation fuzzing of the three decoders: every mutated body must decode or be refused with a
/// <see cref="ProtocolException"/>; any other exception would reach a receiver as a 500. Seeds are
/// fixed, so a failure names the seed and the body, and <see cref="BodyMutator.Mutate"/> with that
/// seed reproduces it.
/// </summary>
public sealed class MutationFuzzTests
{
    /// <summary>Per decoder: 102,000 bodies in all.</summary>
    private const int BodiesPerDecoder = 34_000;

    [Fact]
    public void Mutated_otlp_protobuf_bodies_decode_or_throw_protocol_exception() =>
        AssertDecodesOrRefuses(FuzzCorpus.OtlpProtobuf, firstSeed: 1_000_000, body => OtlpProtobufDecoder.DecodeExportRequest(body, DecodeLimits.Default));

    [Fact]
    public void Mutated_otlp_json_bodies_decode_or_throw_protocol_exception() =>
        AssertDecodesOrRefuses(FuzzCorpus.OtlpJson, firstSeed: 2_000_000, body => OtlpJsonDecoder.DecodeExportRequest(body, DecodeLimits.Default));

    [Fact]
    public void Mutated_zipkin_bodies_decode_or_throw_protocol_exception() =>
        AssertDecodesOrRefuses(FuzzCorpus.Zipkin, firstSeed: 3_000_000, body => ZipkinJsonDecoder.Decode(body, DecodeLimits.Default));

    [Fact]
    public void Every_corpus_body_is_valid_before_mutation()
    {
        Assert.All(FuzzCorpus.OtlpProtobuf, body => Assert.NotEmpty(OtlpProtobufDecoder.DecodeExportRequest(body, DecodeLimits.Default).Spans));
        Assert.All(FuzzCorpus.OtlpJson, body => Assert.NotEmpty(OtlpJsonDecoder.DecodeExportRequest(body, DecodeLimits.Default).Spans));
        Assert.All(FuzzCorpus.Zipkin, body => Assert.NotEmpty(ZipkinJsonDecoder.Decode(body, DecodeLimits.Default).Spans));
    }

    private static void AssertDecodesOrRefuses(IReadOnlyList<byte[]> corpus, int firstSeed, Func<byte[], DecodedSpans> decode)
    {
        var failures = new ConcurrentQueue<string>();
        var decoded = 0;
        Parallel.For(firstSeed, firstSeed + BodiesPerDecoder, seed =>
        {
            var body = BodyMutator.Mutate(corpus, seed);
            try
            {
                Assert.NotNull(decode(body).Spans);
                Interlocked.Increment(ref decoded);
            }
            catch (ProtocolException)
            {
            }
            catch (Exception ex)
            {
                if (failures.Count < 5) failures.Enqueue($"seed {seed}: {ex.GetType().Name}: {ex.Message}\n  body (base64): {BodyMutator.Show(body)}\n{ex.StackTrace}");
            }
        });

        Assert.True(failures.IsEmpty, string.Join("\n\n", failures));
        // The mutations must leave some bodies decodable, or the fuzzer only ever tests the first bytes.
        Assert.InRange(decoded, BodiesPerDecoder / 100, BodiesPerDecoder - 1);
    }
}
