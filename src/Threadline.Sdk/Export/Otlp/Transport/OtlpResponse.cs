using System.Text;
using System.Text.Json;
using Threadline.Protobuf;
using Threadline.Sdk.Export.Otlp.Serialization;

namespace Threadline.Sdk.Export.Otlp.Transport;

/// <summary>
/// Reads what OTLP servers answer: ExportTraceServiceResponse.partial_success (protobuf and
/// JSON), the google.rpc.Status of an error body, and gRPC RetryInfo. Unreadable input yields
/// "nothing found", never an exception: the answer's status already decided the outcome.
/// </summary>
internal static class OtlpResponse
{
    private const string RetryInfoTypeSuffix = "google.rpc.RetryInfo";

    /// <summary>ExportTraceServiceResponse { 1 partial_success { 1 rejected_spans, 2 error_message } }.</summary>
    public static (long RejectedSpans, string? ErrorMessage) ReadPartialSuccessProtobuf(ReadOnlySpan<byte> response)
    {
        long rejected = 0;
        string? message = null;
        var reader = new ProtobufReader(response);
        while (reader.TryReadKey(out var field, out var wireType))
        {
            if (field == 1 && wireType == WireType.LengthDelimited)
            {
                var partial = new ProtobufReader(reader.ReadLengthDelimited());
                while (partial.TryReadKey(out var inner, out var innerType))
                {
                    if (inner == 1 && innerType == WireType.Varint) rejected = (long)partial.ReadVarint();
                    else if (inner == 2 && innerType == WireType.LengthDelimited) message = Encoding.UTF8.GetString(partial.ReadLengthDelimited());
                    else partial.Skip(innerType);
                }
            }
            else
            {
                reader.Skip(wireType);
            }
        }
        return (rejected, message);
    }

    /// <summary>{"partialSuccess":{"rejectedSpans":"3","errorMessage":"..."}}; int64 may be a string or a number.</summary>
    public static (long RejectedSpans, string? ErrorMessage) ReadPartialSuccessJson(ReadOnlySpan<byte> response)
    {
        if (response.IsEmpty) return (0, null);
        try
        {
            var reader = new Utf8JsonReader(response);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return (0, null);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isPartial = reader.ValueTextEquals("partialSuccess") || reader.ValueTextEquals("partial_success");
                reader.Read();
                if (!isPartial || reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                long rejected = 0;
                string? message = null;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isRejected = reader.ValueTextEquals("rejectedSpans") || reader.ValueTextEquals("rejected_spans");
                    var isMessage = reader.ValueTextEquals("errorMessage") || reader.ValueTextEquals("error_message");
                    reader.Read();
                    if (isRejected) rejected = ReadInt64(ref reader);
                    else if (isMessage && reader.TokenType == JsonTokenType.String) message = reader.GetString();
                    else reader.Skip();
                }
                return (rejected, message);
            }
        }
        catch (JsonException)
        {
            // Not JSON after all: a 2xx without a readable body is still a delivered batch.
        }
        return (0, null);
    }

    /// <summary>The message of a google.rpc.Status { 1 code, 2 message, 3 details } body.</summary>
    public static string? ReadStatusMessageProtobuf(ReadOnlySpan<byte> body)
    {
        var reader = new ProtobufReader(body);
        string? message = null;
        while (reader.TryReadKey(out var field, out var wireType))
        {
            if (field == 2 && wireType == WireType.LengthDelimited) message = Encoding.UTF8.GetString(reader.ReadLengthDelimited());
            else reader.Skip(wireType);
        }
        return message;
    }

    /// <summary>The "message" of a JSON google.rpc.Status body.</summary>
    public static string? ReadStatusMessageJson(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty) return null;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isMessage = reader.ValueTextEquals("message");
                reader.Read();
                if (isMessage && reader.TokenType == JsonTokenType.String) return reader.GetString();
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Fall through: the caller shows the start of the raw body instead.
        }
        return null;
    }

    /// <summary>
    /// The delay of a google.rpc.RetryInfo inside a <c>grpc-status-details-bin</c> trailer: base64
    /// (padding optional) of google.rpc.Status { 3 repeated google.protobuf.Any details { 1 type_url,
    /// 2 value } }, where RetryInfo { 1 retry_delay google.protobuf.Duration { 1 seconds, 2 nanos } }.
    /// </summary>
    public static bool TryReadRetryDelay(string? statusDetailsBase64, out TimeSpan delay)
    {
        delay = default;
        if (string.IsNullOrEmpty(statusDetailsBase64)) return false;

        byte[] status;
        try
        {
            var padded = statusDetailsBase64.Trim();
            padded += (padded.Length % 4) switch
            {
                2 => "==",
                3 => "=",
                _ => string.Empty,
            };
            status = Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            return false;
        }

        var reader = new ProtobufReader(status);
        while (reader.TryReadKey(out var field, out var wireType))
        {
            if (field != 3 || wireType != WireType.LengthDelimited)
            {
                reader.Skip(wireType);
                continue;
            }

            var any = new ProtobufReader(reader.ReadLengthDelimited());
            var isRetryInfo = false;
            ReadOnlySpan<byte> value = default;
            while (any.TryReadKey(out var anyField, out var anyType))
            {
                if (anyField == 1 && anyType == WireType.LengthDelimited)
                {
                    isRetryInfo = Encoding.UTF8.GetString(any.ReadLengthDelimited()).EndsWith(RetryInfoTypeSuffix, StringComparison.Ordinal);
                }
                else if (anyField == 2 && anyType == WireType.LengthDelimited)
                {
                    value = any.ReadLengthDelimited();
                }
                else
                {
                    any.Skip(anyType);
                }
            }
            if (isRetryInfo && TryReadRetryInfo(value, out delay)) return true;
        }
        return false;
    }

    private static bool TryReadRetryInfo(ReadOnlySpan<byte> retryInfo, out TimeSpan delay)
    {
        delay = default;
        var found = false;
        var reader = new ProtobufReader(retryInfo);
        while (reader.TryReadKey(out var field, out var wireType))
        {
            if (field != 1 || wireType != WireType.LengthDelimited)
            {
                reader.Skip(wireType);
                continue;
            }

            long seconds = 0;
            long nanos = 0;
            var duration = new ProtobufReader(reader.ReadLengthDelimited());
            while (duration.TryReadKey(out var durationField, out var durationType))
            {
                if (durationField == 1 && durationType == WireType.Varint) seconds = (long)duration.ReadVarint();
                else if (durationField == 2 && durationType == WireType.Varint) nanos = (int)duration.ReadVarint();
                else duration.Skip(durationType);
            }

            // A negative or absurd delay is not a usable instruction; keep the backoff instead.
            if (seconds < 0 || nanos < 0 || seconds > TimeSpan.MaxValue.TotalSeconds / 2) return false;
            delay = TimeSpan.FromSeconds(seconds) + TimeSpan.FromTicks(nanos / TimeSpan.NanosecondsPerTick);
            found = true;
        }
        return found;
    }

    private static long ReadInt64(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var number)) return number;
        if (reader.TokenType == JsonTokenType.String && long.TryParse(reader.GetString(), System.Globalization.CultureInfo.InvariantCulture, out number)) return number;
        reader.Skip();
        return 0;
    }
}
