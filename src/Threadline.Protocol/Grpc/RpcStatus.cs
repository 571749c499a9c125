using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Threadline.Protobuf;
using Threadline.Protocol.Otlp;

namespace Threadline.Protocol.Grpc;

/// <summary>
/// A google.rpc.Status: the error shape of gRPC (in the <c>grpc-status-details-bin</c> trailer)
/// and of OTLP/HTTP error bodies. Optionally carries a google.rpc.RetryInfo detail telling the
/// client how long to back off.
/// </summary>
/// <remarks>
/// Three tiny messages do not justify generated code, so both encodings are written by hand:
/// Status{1 code int32, 2 message string, 3 details repeated Any}, Any{1 type_url, 2 value},
/// RetryInfo{1 retry_delay Duration}, Duration{1 seconds int64, 2 nanos int32}.
/// </remarks>
public readonly record struct RpcStatus(int Code, string Message, TimeSpan? RetryDelay = null)
{
    public const string RetryInfoTypeUrl = "type.googleapis.com/google.rpc.RetryInfo";

    /// <summary>The protobuf encoding.</summary>
    public byte[] ToProtobuf()
    {
        using var writer = new ProtobufWriter(64 + (Message.Length * 3));
        if (Code != 0)
        {
            writer.WriteTag(1, WireType.Varint);
            writer.WriteVarint((ulong)Code);
        }
        writer.WriteString(2, Message);
        if (RetryDelay is { } delay)
        {
            var any = writer.BeginMessage(3);
            writer.WriteString(1, RetryInfoTypeUrl);
            var retryInfo = writer.BeginMessage(2);
            var duration = writer.BeginMessage(1);
            var (seconds, nanos) = Split(delay);
            if (seconds != 0)
            {
                writer.WriteTag(1, WireType.Varint);
                writer.WriteVarint((ulong)seconds);
            }
            writer.WriteUInt32(2, (uint)nanos);
            writer.EndMessage(duration);
            writer.EndMessage(retryInfo);
            writer.EndMessage(any);
        }
        return writer.ToArray();
    }

    /// <summary>The proto3 JSON mapping, e.g. <c>{"code":8,"message":"…","details":[{"@type":"…RetryInfo","retryDelay":"1s"}]}</c>.</summary>
    public byte[] ToJson()
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("code", Code);
            writer.WriteString("message", Message);
            if (RetryDelay is { } delay)
            {
                writer.WriteStartArray("details");
                writer.WriteStartObject();
                writer.WriteString("@type", RetryInfoTypeUrl);
                writer.WriteString("retryDelay", FormatJsonDuration(delay));
                writer.WriteEndObject();
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
        }
        return output.WrittenSpan.ToArray();
    }

    private static (long Seconds, int Nanos) Split(TimeSpan delay)
    {
        var ticks = Math.Max(0, delay.Ticks);
        return (ticks / TimeSpan.TicksPerSecond, (int)(ticks % TimeSpan.TicksPerSecond * 100));
    }

    // Durations in proto3 JSON are decimal seconds with an "s" suffix, e.g. "1.500s".
    private static string FormatJsonDuration(TimeSpan delay)
    {
        var (seconds, nanos) = Split(delay);
        return nanos == 0
            ? seconds.ToString(CultureInfo.InvariantCulture) + "s"
            : seconds.ToString(CultureInfo.InvariantCulture) + "." + nanos.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0') + "s";
    }
}
