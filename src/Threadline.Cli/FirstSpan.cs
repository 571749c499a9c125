namespace Threadline.Cli;

/// <summary>
/// The span the README's "Send your first span" pastes and <c>serve</c>'s ready message offers as a
/// one-line curl: one OTLP/JSON span of service <c>hello-threadline</c>. A test checks that the README's
/// copy is this one and that the server stores it, so neither can drift.
/// </summary>
internal static class FirstSpan
{
    public const string TraceId = "5b8efff798038103d269b633813fc60c";

    public const string ServiceName = "hello-threadline";

    /// <summary>The request body, compact enough to sit in a shell command between single quotes.</summary>
    public const string Body =
        "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"" + ServiceName + "\"}}]}," +
        "\"scopeSpans\":[{\"spans\":[{\"traceId\":\"" + TraceId + "\",\"spanId\":\"eee19b7ec3c1b174\",\"name\":\"GET /hello\",\"kind\":2," +
        "\"startTimeUnixNano\":\"1767225600000000000\",\"endTimeUnixNano\":\"1767225600250000000\"," +
        "\"attributes\":[{\"key\":\"http.route\",\"value\":{\"stringValue\":\"/hello\"}}]}]}]}]}";

    /// <summary>The curl command that posts <see cref="Body"/> to <paramref name="otlpHttpEndpoint"/>.</summary>
    public static string PostCommand(Uri otlpHttpEndpoint) =>
        $"curl -s {new Uri(otlpHttpEndpoint, "/v1/traces")} -H 'Content-Type: application/json' -d '{Body}'";

    /// <summary>The curl command that reads the span back from the native API.</summary>
    public static string ReadCommand(Uri apiEndpoint) => $"curl -s {new Uri(apiEndpoint, "/api/v1/traces/" + TraceId)}";
}
