using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Threadline.Sdk.Export.Otlp;

/// <summary>Reads the OpenTelemetry OTLP exporter environment variables into options.</summary>
internal static class OtlpEnvironment
{
    public const string Endpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string TracesEndpoint = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
    public const string Protocol = "OTEL_EXPORTER_OTLP_PROTOCOL";
    public const string TracesProtocol = "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL";
    public const string Headers = "OTEL_EXPORTER_OTLP_HEADERS";
    public const string TracesHeaders = "OTEL_EXPORTER_OTLP_TRACES_HEADERS";
    public const string Timeout = "OTEL_EXPORTER_OTLP_TIMEOUT";
    public const string TracesTimeout = "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT";
    public const string Compression = "OTEL_EXPORTER_OTLP_COMPRESSION";
    public const string TracesCompression = "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION";
    public const string Certificate = "OTEL_EXPORTER_OTLP_CERTIFICATE";
    public const string TracesCertificate = "OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE";
    public const string ClientCertificate = "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE";
    public const string TracesClientCertificate = "OTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE";
    public const string ClientKey = "OTEL_EXPORTER_OTLP_CLIENT_KEY";
    public const string TracesClientKey = "OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY";

    public static void Apply(OtlpExporterOptions options, Func<string, string?> read)
    {
        // Each setting tries the traces-specific variable first; an invalid value is reported
        // and skipped so the general variable (or the default) still applies.
        var ignored = new List<Ignored>();
        if (TryFirst(read, [TracesProtocol, Protocol], ParseProtocol, ignored, out var protocol)) options.Protocol = protocol;
        Report(options, ignored, $"the exporter uses {OtlpExporterOptions.ProtocolName(options.Protocol)}");
        if (TryFirst(read, [TracesTimeout, Timeout], ParseTimeout, ignored, out var timeout)) options.Timeout = timeout;
        Report(options, ignored, options.Timeout == System.Threading.Timeout.InfiniteTimeSpan
            ? "the exporter waits without limit"
            : $"the exporter uses {options.Timeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms");
        if (TryFirst(read, [TracesCompression, Compression], ParseCompression, ignored, out var compression)) options.Compression = compression;
        Report(options, ignored, options.Compression == OtlpCompression.Gzip ? "the exporter uses gzip" : "the exporter sends uncompressed");

        var headers = ReadHeaders(options, read, TracesHeaders) ?? ReadHeaders(options, read, Headers);
        if (headers is not null)
        {
            foreach (var header in headers) options.Headers[header.Key] = header.Value;
        }

        // Only the paths are taken here: the exporter reads the files when it is created, which is
        // where a missing or broken file is reported (naming the variable that pointed at it). A
        // set TRACES_ path wins even if its file turns out unusable: quietly falling back to the
        // general file would change whom the exporter trusts or presents itself as.
        ReadPath(options, read, [TracesCertificate, Certificate], nameof(OtlpExporterOptions.TrustedCertificatePath), path => options.TrustedCertificatePath = path);
        ReadPath(options, read, [TracesClientCertificate, ClientCertificate], nameof(OtlpExporterOptions.ClientCertificatePath), path => options.ClientCertificatePath = path);
        ReadPath(options, read, [TracesClientKey, ClientKey], nameof(OtlpExporterOptions.ClientKeyPath), path => options.ClientKeyPath = path);

        if (TryFirst(read, [TracesEndpoint], ParseEndpoint, ignored, out var tracesEndpoint))
        {
            options.Endpoint = tracesEndpoint;
        }
        else if (TryFirst(read, [Endpoint], ParseEndpoint, ignored, out var baseEndpoint))
        {
            options.SetBaseEndpoint(baseEndpoint);
        }
        // Code may still change the endpoint; what the environment leads to is what is known here.
        Report(options, ignored, $"the exporter sends to {options.ResolveEndpoint()} unless code sets the endpoint");
    }

    /// <summary>A variable whose value could not be used.</summary>
    private readonly record struct Ignored(string Name, string Raw, string Error);

    /// <summary>Reports the ignored variables of one setting, saying what applies instead, and clears the list.</summary>
    private static void Report(OtlpExporterOptions options, List<Ignored> ignored, string instead)
    {
        foreach (var (name, raw, error) in ignored)
        {
            // Header values carry secrets (API keys), so those are never echoed back.
            var secret = name.EndsWith("HEADERS", StringComparison.Ordinal);
            options.AddConfigurationWarning(name, secret ? "(hidden)" : raw, $"{error}; {instead}", secret ? $"{name} was ignored: {error}; {instead}." : $"{name}='{raw}' was ignored: {error}; {instead}.");
        }
        ignored.Clear();
    }

    private static bool TryFirst<T>(Func<string, string?> read, string[] names, Func<string, (T? Value, string? Error)> parse, List<Ignored> ignored, [MaybeNullWhen(false)] out T value)
    {
        foreach (var name in names)
        {
            var raw = read(name);
            // The specification treats an empty variable as an unset one.
            if (string.IsNullOrWhiteSpace(raw)) continue;
            var (parsed, error) = parse(raw.Trim());
            if (error is null)
            {
                value = parsed!;
                return true;
            }
            ignored.Add(new Ignored(name, raw, error));
        }
        value = default;
        return false;
    }

    /// <summary>Sets a file path option from the first of <paramref name="names"/> that is set (not empty).</summary>
    private static void ReadPath(OtlpExporterOptions options, Func<string, string?> read, string[] names, string option, Action<string> set)
    {
        foreach (var name in names)
        {
            var raw = read(name);
            if (string.IsNullOrWhiteSpace(raw)) continue;
            var path = raw.Trim();
            set(path);
            options.RecordPathVariable(option, name, path);
            return;
        }
    }

    private static List<KeyValuePair<string, string>>? ReadHeaders(OtlpExporterOptions options, Func<string, string?> read, string name)
    {
        var ignored = new List<Ignored>();
        var found = TryFirst(read, [name], value => ParseHeaders(options, name, value), ignored, out var headers);
        Report(options, ignored, name == TracesHeaders ? $"{Headers} applies if set" : "no headers from it are sent");
        return found ? headers : null;
    }

    private static (OtlpExportProtocol, string?) ParseProtocol(string value) =>
        value.ToLowerInvariant() switch
        {
            "grpc" => (OtlpExportProtocol.Grpc, null),
            "http/protobuf" => (OtlpExportProtocol.HttpProtobuf, null),
            "http/json" => (OtlpExportProtocol.HttpJson, null),
            _ => (default, "expected grpc, http/protobuf or http/json"),
        };

    private static (TimeSpan, string?) ParseTimeout(string value)
    {
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds))
        {
            return (default, "expected a whole number of milliseconds");
        }
        if (milliseconds == 0) return (System.Threading.Timeout.InfiniteTimeSpan, null);
        if (milliseconds > int.MaxValue) return (default, $"expected at most {int.MaxValue} milliseconds");
        return (TimeSpan.FromMilliseconds(milliseconds), null);
    }

    private static (OtlpCompression, string?) ParseCompression(string value) =>
        value.ToLowerInvariant() switch
        {
            "gzip" => (OtlpCompression.Gzip, null),
            "none" => (OtlpCompression.None, null),
            _ => (default, "expected gzip or none"),
        };

    private static (Uri?, string?) ParseEndpoint(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return (null, "expected an absolute http:// or https:// URL");
        }
        return (uri, null);
    }

    /// <summary>
    /// The W3C-baggage-like list the specification uses: <c>key=value</c> pairs separated by
    /// commas, each side percent-decoded and trimmed. A malformed pair is skipped (and reported)
    /// while the others are kept, so one typo does not drop an API key.
    /// </summary>
    private static (List<KeyValuePair<string, string>>, string?) ParseHeaders(OtlpExporterOptions options, string name, string value)
    {
        var headers = new List<KeyValuePair<string, string>>();
        var position = 0;
        foreach (var pair in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            position++;
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = equals > 0 ? Uri.UnescapeDataString(pair[..equals]).Trim() : string.Empty;
            if (key.Length == 0 || !IsToken(key))
            {
                // The pair may hold a secret: name the position, not the text.
                const string reason = "expected key=value with a header name as the key; the other entries are sent";
                options.AddConfigurationWarning(name, $"(entry {position} hidden)", reason, $"{name}: entry {position} was ignored: {reason}.");
                continue;
            }
            headers.Add(new(key, Uri.UnescapeDataString(pair[(equals + 1)..]).Trim()));
        }
        return (headers, headers.Count > 0 ? null : "no valid key=value pairs");
    }

    // RFC 9110 token characters, the only ones a header name may contain.
    private static bool IsToken(string text)
    {
        foreach (var c in text)
        {
            var ok = char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);
            if (!ok) return false;
        }
        return true;
    }
}
