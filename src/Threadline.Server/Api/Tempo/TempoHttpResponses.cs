using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Threadline.Protocol;
using Threadline.Query.TraceQL;
using Threadline.Server.Tempo;

namespace Threadline.Server.Api.Tempo;

/// <summary>
/// How the Tempo API answers: protobuf-JSON, or protobuf for <c>Accept: application/protobuf</c>
/// (what Grafana's backend asks for), and errors as Tempo sends them, plain text.
/// </summary>
internal static class TempoHttpResponses
{
    public const string ProtobufContentType = "application/protobuf";
    public const string JsonContentType = "application/json";

    /// <summary>Whether the client asked for protobuf (Tempo's <c>application/protobuf</c>, or the common <c>application/x-protobuf</c>).</summary>
    public static bool WantsProtobuf(HttpRequest request)
    {
        foreach (var accept in request.GetTypedHeaders().Accept)
        {
            if (accept.MediaType.Equals(ProtobufContentType, StringComparison.OrdinalIgnoreCase)
                || accept.MediaType.Equals("application/x-protobuf", StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }

    /// <summary>Answers 200 with <paramref name="message"/> in the encoding the client asked for.</summary>
    public static async Task WriteAsync<T>(HttpContext context, T message, Action<Utf8JsonWriter, T> writeJson, Func<T, byte[]> encodeProtobuf)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        if (WantsProtobuf(context.Request))
        {
            response.ContentType = ProtobufContentType;
            await response.Body.WriteAsync(encodeProtobuf(message), context.RequestAborted).ConfigureAwait(false);
            return;
        }
        response.ContentType = JsonContentType;
        await using (var writer = new Utf8JsonWriter(response.BodyWriter, ApiResponses.WriterOptions))
        {
            writeJson(writer, message);
            await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs <paramref name="handle"/>, answering a request that cannot be served (a bad parameter, a
    /// TraceQL syntax error with its line and column, a bound exceeded) with 400 and the reason.
    /// </summary>
    public static async Task HandleAsync(HttpContext context, Func<Task> handle)
    {
        try
        {
            await handle().ConfigureAwait(false);
        }
        catch (Exception ex) when (ClientError(ex) is { } message && !context.Response.HasStarted)
        {
            await TextAsync(context, StatusCodes.Status400BadRequest, message).ConfigureAwait(false);
        }
    }

    /// <summary>The message a client sees for an exception that is its request's fault; null for a server fault.</summary>
    public static string? ClientError(Exception exception) => exception switch
    {
        TempoRequestException request => request.Message,
        TraceQLSyntaxException syntax => "invalid TraceQL query: " + syntax.Message,
        TraceQLQueryException query => query.Message,
        ProtocolException protocol => protocol.Message,
        _ => null,
    };

    public static Task TextAsync(HttpContext context, int statusCode, string text)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text + "\n", context.RequestAborted);
    }
}
