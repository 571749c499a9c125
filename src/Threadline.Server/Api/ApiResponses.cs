using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Threadline.Query.Parameters;

namespace Threadline.Server.Api;

/// <summary>Writes the API's JSON answers straight onto the response body, no intermediate objects.</summary>
internal static class ApiResponses
{
    public const string JsonContentType = "application/json; charset=utf-8";

    // The answers are JSON documents, never embedded in HTML, so quotes and apostrophes in
    // messages can stay readable instead of becoming \u0027.
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task JsonAsync(HttpResponse response, int statusCode, Action<Utf8JsonWriter> write, CancellationToken cancellationToken)
    {
        response.StatusCode = statusCode;
        response.ContentType = JsonContentType;
        await using (var writer = new Utf8JsonWriter(response.BodyWriter, WriterOptions))
        {
            write(writer);
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        await response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>{"error":"…","parameter":"…"}</c>; the parameter is there only for a bad parameter.</summary>
    public static Task ErrorAsync(HttpResponse response, int statusCode, ApiError error, CancellationToken cancellationToken) =>
        JsonAsync(response, statusCode, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("error", error.Message);
            if (error.Parameter is not null) writer.WriteString("parameter", error.Parameter);
            writer.WriteEndObject();
        }, cancellationToken);

    /// <summary>A 400 naming the parameter at fault.</summary>
    public static Task BadRequestAsync(HttpResponse response, ParameterError error, CancellationToken cancellationToken) =>
        ErrorAsync(response, StatusCodes.Status400BadRequest, ApiError.From(error), cancellationToken);

    /// <summary><c>{"name":["a","b"]}</c>, the shape of every catalog answer.</summary>
    public static Task StringListAsync(HttpResponse response, string name, IEnumerable<string> values, CancellationToken cancellationToken) =>
        JsonAsync(response, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray(name);
            foreach (var value in values) writer.WriteStringValue(value);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }, cancellationToken);
}
