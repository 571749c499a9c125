using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using Threadline.Sdk.Export.Otlp.Serialization;

namespace Threadline.Sdk.Export.Otlp.Transport;

/// <summary>
/// OTLP/gRPC without a gRPC library: one unary call to TraceService/Export over HTTP/2 (h2c with
/// prior knowledge for http://, ALPN for https://), with the gRPC length-prefixed framing and
/// the status read from the trailers, or from the headers of a trailers-only answer.
/// </summary>
internal sealed class OtlpGrpcTransport : OtlpTransport
{
    public const string ExportPath = "opentelemetry.proto.collector.trace.v1.TraceService/Export";

    private const int FrameHeaderLength = 5;

    private readonly OtlpProtobufSerializer _serializer = new();

    public OtlpGrpcTransport(HttpClient client, Uri baseEndpoint, KeyValuePair<string, string>[] headers, bool gzip)
        : base(client, OtlpExporterOptions.AppendPath(baseEndpoint, ExportPath), headers, gzip)
    {
    }

    public override ReadOnlyMemory<byte> PrepareBody(IReadOnlyList<Activity> batch, ServiceResource resource)
    {
        // The frame header goes in front of the message; serializing after a gap avoids a copy.
        Payload.Clear();
        Payload.Skip(FrameHeaderLength);
        _serializer.Serialize(Payload, resource, batch);
        var frame = Payload;

        if (Gzip)
        {
            Compressed!.Clear();
            Compressed.Skip(FrameHeaderLength);
            Compress(Payload.WrittenSpan[FrameHeaderLength..]);
            frame = Compressed;
        }

        var header = frame.Array.AsSpan(0, FrameHeaderLength);
        header[0] = Gzip ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(header[1..], (uint)(frame.Length - FrameHeaderLength));
        return frame.WrittenMemory;
    }

    public override async Task<AttemptResult> SendAsync(ReadOnlyMemory<byte> body, TimeSpan remaining, CancellationToken cancellationToken)
    {
        using var request = CreateRequest(body, HttpVersion.Version20, HttpVersionPolicy.RequestVersionExact);
        request.Content!.Headers.TryAddWithoutValidation("Content-Type", "application/grpc");
        request.Headers.TryAddWithoutValidation("TE", "trailers");
        request.Headers.TryAddWithoutValidation("grpc-accept-encoding", "identity,gzip");
        if (Gzip) request.Headers.TryAddWithoutValidation("grpc-encoding", "gzip");
        // Lets the server stop working on a call the exporter has already given up on.
        if (remaining != Timeout.InfiniteTimeSpan) request.Headers.TryAddWithoutValidation("grpc-timeout", FormatTimeout(remaining));

        try
        {
            using var response = await SendRequestAsync(request, cancellationToken).ConfigureAwait(false);
            var responseBody = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
            return Interpret(response, responseBody);
        }
        catch (HttpRequestException exception) when (!cancellationToken.IsCancellationRequested)
        {
            return NoAnswer(exception, $"could not reach {Endpoint} over HTTP/2", http2Required: true);
        }
        catch (IOException exception) when (!cancellationToken.IsCancellationRequested)
        {
            return new AttemptResult(AttemptOutcome.Retryable, $"connection to {Endpoint} failed while reading the answer: {Describe(exception)}")
            {
                Advice = ExportAdvice.Unreachable(HttpRequestError.Unknown, Endpoint),
            };
        }
    }

    private AttemptResult Interpret(HttpResponseMessage response, ReadOnlyMemory<byte> body)
    {
        var httpStatus = (int)response.StatusCode;
        var statusText = Header(response, "grpc-status");
        int code;
        string message;
        var plainHttp = false;
        if (statusText is not null && int.TryParse(statusText, NumberStyles.None, CultureInfo.InvariantCulture, out code))
        {
            var rawMessage = Header(response, "grpc-message");
            message = rawMessage is null ? string.Empty : Uri.UnescapeDataString(rawMessage);
        }
        else if (httpStatus != 200)
        {
            code = GrpcStatus.FromHttpStatus(httpStatus);
            plainHttp = true;
            message = $"HTTP {httpStatus} {response.ReasonPhrase} without a gRPC status (a proxy, or not a gRPC server)";
        }
        else
        {
            code = GrpcStatus.Internal;
            message = "the answer had no grpc-status (not a gRPC server?)";
        }

        if (code == GrpcStatus.Ok)
        {
            var (rejected, errorMessage) = ReadResponseMessage(response, body.Span);
            return AttemptResult.Delivered(rejected, errorMessage ?? string.Empty) with { GrpcStatusCode = code, HttpStatusCode = httpStatus };
        }

        var hasRetryDelay = OtlpResponse.TryReadRetryDelay(Header(response, "grpc-status-details-bin"), out var retryDelay);
        var retryable = GrpcStatus.IsRetryable(code, hasRetryDelay);
        var description = $"{Endpoint} answered gRPC {GrpcStatus.Name(code)} ({code})" + (message.Length == 0 ? string.Empty : $": {Truncate(message)}");
        return new AttemptResult(retryable ? AttemptOutcome.Retryable : AttemptOutcome.Rejected, description)
        {
            GrpcStatusCode = code,
            HttpStatusCode = httpStatus,
            RetryAfter = retryable && hasRetryDelay ? retryDelay : null,
            Advice = ExportAdvice.ForGrpcStatus(code, httpStatus, plainHttp, Endpoint),
        };
    }

    private static (long RejectedSpans, string? ErrorMessage) ReadResponseMessage(HttpResponseMessage response, ReadOnlySpan<byte> body)
    {
        if (body.Length < FrameHeaderLength) return (0, null);
        var compressed = body[0] == 1;
        var length = BinaryPrimitives.ReadUInt32BigEndian(body[1..]);
        if (length > (uint)(body.Length - FrameHeaderLength)) return (0, null);
        var message = body.Slice(FrameHeaderLength, (int)length);
        if (!compressed) return OtlpResponse.ReadPartialSuccessProtobuf(message);

        // Servers compress answers only when asked; the answer is tiny, so a plain copy is fine.
        if (!string.Equals(Header(response, "grpc-encoding"), "gzip", StringComparison.OrdinalIgnoreCase)) return (0, null);
        try
        {
            using var input = new MemoryStream(message.ToArray());
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            gzip.CopyTo(output);
            return OtlpResponse.ReadPartialSuccessProtobuf(output.GetBuffer().AsSpan(0, (int)output.Length));
        }
        catch (InvalidDataException)
        {
            return (0, null);
        }
    }

    /// <summary>A gRPC metadata value from the trailers, or from the headers of a trailers-only answer.</summary>
    private static string? Header(HttpResponseMessage response, string name)
    {
        if (response.TrailingHeaders.TryGetValues(name, out var values)) return values.FirstOrDefault();
        if (response.Headers.TryGetValues(name, out values)) return values.FirstOrDefault();
        return null;
    }

    /// <summary>grpc-timeout: at most eight digits and a unit; milliseconds, or seconds when longer.</summary>
    internal static string FormatTimeout(TimeSpan timeout)
    {
        var milliseconds = Math.Max(1, (long)Math.Ceiling(timeout.TotalMilliseconds));
        if (milliseconds <= 99_999_999) return milliseconds.ToString(CultureInfo.InvariantCulture) + "m";
        var seconds = Math.Min(99_999_999, (long)Math.Ceiling(timeout.TotalSeconds));
        return seconds.ToString(CultureInfo.InvariantCulture) + "S";
    }
}
