namespace Threadline.Cli;

/// <summary>
/// What <c>serve</c> prints on standard output once every listener is up: where everything is, and
/// the next step, a first span sent with curl and read back.
/// </summary>
internal static class ReadyMessage
{
    /// <summary>How the message starts, so that a script (or a test) can wait for it.</summary>
    public const string Prefix = "Ready:";

    public static string Format(Uri otlpGrpc, Uri otlpHttp, Uri zipkin, Uri api, Uri tempo) =>
        $"{Prefix} native API {new Uri(api, "/api/v1/")} (health {new Uri(api, "/readyz")}, status {new Uri(api, "/api/v1/status")}; the UI will be served there too), " +
        $"Tempo API for Grafana {tempo}, OTLP/gRPC {otlpGrpc}, OTLP/HTTP {new Uri(otlpHttp, "/v1/traces")}, Zipkin {new Uri(zipkin, "/api/v2/spans")}." + Environment.NewLine +
        $"Send a first span: {FirstSpan.PostCommand(otlpHttp)} && {FirstSpan.ReadCommand(api)}";
}
