using System.Text;
using Google.Protobuf;
using Threadline.TestSupport.Otlp;
using Threadline.Sdk.Export.Otlp.Transport;

namespace Threadline.Sdk.Tests.Export;

public sealed class OtlpResponseTests
{
    [Fact]
    public void Retry_info_is_found_among_other_status_details()
    {
        var errorInfo = ("type.googleapis.com/google.rpc.ErrorInfo", new byte[] { 0x0A, 0x03, (byte)'a', (byte)'b', (byte)'c' });
        var details = Convert.ToBase64String(new CodedStatus(8, "busy", errorInfo, CodedStatus.RetryInfo(TimeSpan.FromSeconds(1.25))).ToByteArray());

        Assert.True(OtlpResponse.TryReadRetryDelay(details, out var delay));
        Assert.Equal(TimeSpan.FromSeconds(1.25), delay);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("!!not base64!!")]
    [InlineData("CAg")]
    public void Missing_or_unreadable_status_details_have_no_retry_delay(string? details)
    {
        Assert.False(OtlpResponse.TryReadRetryDelay(details, out _));
    }

    [Fact]
    public void Status_without_retry_info_has_no_retry_delay()
    {
        var details = Convert.ToBase64String(new CodedStatus(8, "too big").ToByteArray());

        Assert.False(OtlpResponse.TryReadRetryDelay(details, out _));
    }

    [Fact]
    public void Protobuf_partial_success_skips_unknown_fields()
    {
        var response = new ExportTraceServiceResponse { PartialSuccess = new() { RejectedSpans = 7, ErrorMessage = "why" } }.ToByteArray();
        // An unknown fixed64 field (99) before the known one, as a newer server might send.
        var withUnknown = new byte[] { 0x99, 0x06, 1, 2, 3, 4, 5, 6, 7, 8 }.Concat(response).ToArray();

        Assert.Equal((7L, "why"), OtlpResponse.ReadPartialSuccessProtobuf(withUnknown));
    }

    [Fact]
    public void Truncated_protobuf_answer_reads_as_nothing_rejected()
    {
        var response = new ExportTraceServiceResponse { PartialSuccess = new() { RejectedSpans = 7, ErrorMessage = "why" } }.ToByteArray();

        var (rejected, _) = OtlpResponse.ReadPartialSuccessProtobuf(response.AsSpan(0, response.Length - 3));

        Assert.Equal(0, rejected);
    }

    [Theory]
    [InlineData("""{"partialSuccess":{"rejectedSpans":"5","errorMessage":"m"}}""", 5, "m")]
    [InlineData("""{"partialSuccess":{"rejectedSpans":5}}""", 5, null)]
    [InlineData("""{"partial_success":{"rejected_spans":"2"}}""", 2, null)]
    [InlineData("""{"other":[1,2,{"x":null}],"partialSuccess":{}}""", 0, null)]
    [InlineData("""{}""", 0, null)]
    [InlineData("not json", 0, null)]
    [InlineData("", 0, null)]
    public void Json_partial_success_is_read_leniently(string body, long rejected, string? message)
    {
        Assert.Equal((rejected, message), OtlpResponse.ReadPartialSuccessJson(Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public void Status_message_is_read_from_protobuf_and_json_error_bodies()
    {
        Assert.Equal("bad span", OtlpResponse.ReadStatusMessageProtobuf(new CodedStatus(3, "bad span").ToByteArray()));
        Assert.Equal("bad span", OtlpResponse.ReadStatusMessageJson(Encoding.UTF8.GetBytes("""{"code":3,"message":"bad span"}""")));
    }
}
