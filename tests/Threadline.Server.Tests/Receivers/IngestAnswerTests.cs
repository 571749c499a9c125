using Threadline.Protocol.Grpc;
using Threadline.Pipeline.Ingest;
using Threadline.Server.Receivers.Grpc;
using Threadline.Server.Receivers.Http;
using Threadline.Server.Receivers.Zipkin;

namespace Threadline.Server.Tests.Receivers;

/// <summary>
/// Each protocol's one mapping from ingest outcome to answer: success, back off (queue full), or
/// retry later (store failed); both failures tell the client when to come back.
/// </summary>
public sealed class IngestAnswerTests
{
    [Theory]
    [InlineData(IngestOutcome.Accepted, 0, false)]
    [InlineData(IngestOutcome.Overloaded, 8, true)]
    [InlineData(IngestOutcome.StoreFailed, 14, true)]
    public void Grpc_answers_each_outcome_with_its_status_and_retry_hint(IngestOutcome outcome, int status, bool retryHint)
    {
        // OK, RESOURCE_EXHAUSTED, UNAVAILABLE, numbered as in the gRPC spec.
        Assert.Equal(new GrpcIngestAnswer((GrpcStatusCode)status, retryHint), GrpcIngestAnswer.For(outcome));
    }

    [Theory]
    [InlineData(IngestOutcome.Accepted, 200, 0, false)]
    [InlineData(IngestOutcome.Overloaded, 429, 8, true)]
    [InlineData(IngestOutcome.StoreFailed, 503, 14, true)]
    public void Otlp_http_answers_each_outcome_with_its_status_rpc_code_and_retry_hint(IngestOutcome outcome, int status, int rpcCode, bool retryHint)
    {
        Assert.Equal(new OtlpHttpIngestAnswer(status, rpcCode, retryHint), OtlpHttpIngestAnswer.For(outcome));
    }

    [Theory]
    [InlineData(IngestOutcome.Accepted, 202, false)]
    [InlineData(IngestOutcome.Overloaded, 429, true)]
    [InlineData(IngestOutcome.StoreFailed, 503, true)]
    public void Zipkin_answers_each_outcome_with_its_status_and_retry_hint(IngestOutcome outcome, int status, bool retryHint)
    {
        Assert.Equal(new ZipkinIngestAnswer(status, retryHint), ZipkinIngestAnswer.For(outcome));
    }

    [Fact]
    public void Every_outcome_has_an_answer_in_every_protocol_and_only_success_goes_without_a_retry_hint()
    {
        foreach (var outcome in Enum.GetValues<IngestOutcome>())
        {
            var failed = outcome != IngestOutcome.Accepted;
            Assert.Equal(failed, GrpcIngestAnswer.For(outcome).RetryHint);
            Assert.Equal(failed, OtlpHttpIngestAnswer.For(outcome).RetryHint);
            Assert.Equal(failed, ZipkinIngestAnswer.For(outcome).RetryHint);
        }
    }

    [Fact]
    public void An_undefined_outcome_is_a_programming_error_not_a_silent_default()
    {
        const IngestOutcome undefined = (IngestOutcome)99;

        Assert.Throws<ArgumentOutOfRangeException>(() => GrpcIngestAnswer.For(undefined));
        Assert.Throws<ArgumentOutOfRangeException>(() => OtlpHttpIngestAnswer.For(undefined));
        Assert.Throws<ArgumentOutOfRangeException>(() => ZipkinIngestAnswer.For(undefined));
    }
}
