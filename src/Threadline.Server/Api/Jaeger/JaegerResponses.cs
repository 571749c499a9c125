using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Threadline.Server.Api.Jaeger;

/// <summary>
/// The answers of Jaeger's query API: the v1 envelope <c>{"data","total","limit","offset","errors"}</c>
/// the Jaeger UI unwraps, and the v3 (gRPC-gateway) error object <c>{"error":{"httpCode","message"}}</c>.
/// </summary>
internal static class JaegerResponses
{
    /// <summary>A v1 answer: <paramref name="writeData"/> writes the value of <c>data</c>.</summary>
    public static Task EnvelopeAsync(HttpResponse response, int total, Action<Utf8JsonWriter> writeData, CancellationToken cancellationToken) =>
        ApiResponses.JsonAsync(response, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WritePropertyName("data");
            writeData(writer);
            WriteTail(writer, total, errors: null);
            writer.WriteEndObject();
        }, cancellationToken);

    /// <summary>A v1 list of strings, <c>total</c> being its length.</summary>
    public static Task StringsAsync(HttpResponse response, IReadOnlyCollection<string> values, CancellationToken cancellationToken) =>
        EnvelopeAsync(response, values.Count, writer =>
        {
            writer.WriteStartArray();
            foreach (var value in values) writer.WriteStringValue(value);
            writer.WriteEndArray();
        }, cancellationToken);

    /// <summary>A v1 error: <c>data</c> null and one error with the status as its code.</summary>
    public static Task ErrorAsync(HttpResponse response, int statusCode, string message, CancellationToken cancellationToken) =>
        ApiResponses.JsonAsync(response, statusCode, writer =>
        {
            writer.WriteStartObject();
            writer.WriteNull("data");
            WriteTail(writer, 0, [new JaegerError(statusCode, message, null)]);
            writer.WriteEndObject();
        }, cancellationToken);

    /// <summary>
    /// Ends a v1 envelope after <c>data</c>: <c>total</c>, <c>limit</c> and <c>offset</c> (always
    /// 0 there, as Jaeger sends them) and <c>errors</c> (null when there are none).
    /// </summary>
    public static void WriteTail(Utf8JsonWriter writer, int total, IReadOnlyList<JaegerError>? errors)
    {
        writer.WriteNumber("total", total);
        writer.WriteNumber("limit", 0);
        writer.WriteNumber("offset", 0);
        if (errors is null || errors.Count == 0)
        {
            writer.WriteNull("errors");
            return;
        }
        writer.WriteStartArray("errors");
        foreach (var error in errors)
        {
            writer.WriteStartObject();
            if (error.Code != 0) writer.WriteNumber("code", error.Code);
            writer.WriteString("msg", error.Message);
            if (error.TraceId is not null) writer.WriteString("traceID", error.TraceId);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    /// <summary>A v3 error, as Jaeger's HTTP gateway writes it.</summary>
    public static Task V3ErrorAsync(HttpResponse response, int statusCode, string message, CancellationToken cancellationToken) =>
        ApiResponses.JsonAsync(response, statusCode, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartObject("error");
            writer.WriteNumber("httpCode", statusCode);
            writer.WriteString("message", message);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }, cancellationToken);
}

/// <summary>One entry of a v1 envelope's <c>errors</c>; <c>code</c> 0 is left out, as is a null trace id.</summary>
internal sealed record JaegerError(int Code, string Message, string? TraceId);
