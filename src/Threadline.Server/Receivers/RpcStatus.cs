using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Threadline.Server.Receivers;

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
internal readonly record struct RpcStatus(int Code, string Message, TimeSpan? RetryDelay = null)
{
    public const string RetryInfoTypeUrl = "type.googleapis.com/google.rpc.RetryInfo";

    private const int VarintWireType = 0;
    private const int LengthDelimitedWireType = 2;

    /// <summary>The protobuf encoding.</summary>
    public byte[] ToProtobuf()
    {
        var status = new ArrayBufferWriter<byte>();
        if (Code != 0) WriteVarintField(status, 1, (ulong)Code);
        if (Message.Length > 0) WriteBytesField(status, 2, Encoding.UTF8.GetBytes(Message));
        if (RetryDelay is { } delay)
        {
            var duration = new ArrayBufferWriter<byte>();
            var (seconds, nanos) = Split(delay);
            if (seconds != 0) WriteVarintField(duration, 1, (ulong)seconds);
            if (nanos != 0) WriteVarintField(duration, 2, (ulong)nanos);

            var retryInfo = new ArrayBufferWriter<byte>();
            WriteBytesField(retryInfo, 1, duration.WrittenSpan);

            var any = new ArrayBufferWriter<byte>();
            WriteBytesField(any, 1, Encoding.UTF8.GetBytes(RetryInfoTypeUrl));
            WriteBytesField(any, 2, retryInfo.WrittenSpan);

            WriteBytesField(status, 3, any.WrittenSpan);
        }
        return status.WrittenSpan.ToArray();
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

    private static void WriteVarintField(IBufferWriter<byte> writer, int field, ulong value)
    {
        WriteVarint(writer, (ulong)((field << 3) | VarintWireType));
        WriteVarint(writer, value);
    }

    private static void WriteBytesField(IBufferWriter<byte> writer, int field, ReadOnlySpan<byte> value)
    {
        WriteVarint(writer, (ulong)((field << 3) | LengthDelimitedWireType));
        WriteVarint(writer, (ulong)value.Length);
        writer.Write(value);
    }

    private static void WriteVarint(IBufferWriter<byte> writer, ulong value)
    {
        var span = writer.GetSpan(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[i++] = (byte)value;
        writer.Advance(i);
    }
}
