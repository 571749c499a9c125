namespace Threadline.Sdk.Export.Otlp;

/// <summary>The OTLP transport and encoding.</summary>
public enum OtlpExportProtocol
{
    /// <summary>OTLP/gRPC (default endpoint http://localhost:4317).</summary>
    Grpc,

    /// <summary>OTLP/HTTP with binary protobuf (default endpoint http://localhost:4318/v1/traces).</summary>
    HttpProtobuf,

    /// <summary>OTLP/HTTP with the JSON mapping (default endpoint http://localhost:4318/v1/traces).</summary>
    HttpJson,
}

/// <summary>How request bodies are compressed.</summary>
public enum OtlpCompression
{
    /// <summary>Bodies are sent as they are.</summary>
    None,

    /// <summary>Bodies are gzip-compressed (HTTP <c>Content-Encoding: gzip</c>, gRPC <c>grpc-encoding: gzip</c>).</summary>
    Gzip,
}

/// <summary>
/// Where and how the OTLP exporter sends spans. Start from <c>new OtlpExporterOptions()</c> for
/// the defaults or from <see cref="FromEnvironment(Func{string, string?})"/> for the standard
/// <c>OTEL_EXPORTER_OTLP_*</c> variables, then change what you need. The exporter checks the
/// options when it is created and copies them: later changes do not affect it.
/// </summary>
public sealed class OtlpExporterOptions
{
    /// <summary>The default OTLP/gRPC endpoint.</summary>
    public static readonly Uri DefaultGrpcEndpoint = new("http://localhost:4317");

    /// <summary>The default OTLP/HTTP base endpoint; spans go to its <c>/v1/traces</c>.</summary>
    public static readonly Uri DefaultHttpEndpoint = new("http://localhost:4318");

    internal const string TracesPath = "v1/traces";

    private Uri? _endpoint;
    private readonly List<string> _configurationWarnings = [];
    private readonly List<(string Setting, string Value, string Reason)> _configurationIssues = [];
    private readonly Dictionary<string, (string Variable, string Path)> _pathVariables = new(StringComparer.Ordinal);

    /// <summary>The transport and encoding. Defaults to <see cref="OtlpExportProtocol.Grpc"/>.</summary>
    public OtlpExportProtocol Protocol { get; set; } = OtlpExportProtocol.Grpc;

    /// <summary>
    /// Where spans are sent; null means the protocol's default (<see cref="DefaultGrpcEndpoint"/>,
    /// or <see cref="DefaultHttpEndpoint"/> plus <c>/v1/traces</c>). For gRPC this is the
    /// server's address (a path, if any, is kept as a prefix of the service path). For OTLP/HTTP
    /// it is the full URL spans are posted to, except that an endpoint with no path
    /// (<c>http://collector:4318</c>) gets <c>/v1/traces</c> appended.
    /// </summary>
    public Uri? Endpoint
    {
        get => _endpoint;
        set
        {
            _endpoint = value;
            EndpointIsBase = false;
        }
    }

    /// <summary>
    /// Extra request headers (for example an API key). Names are case-insensitive. They must be
    /// valid request headers: content headers such as Content-Type are set by the exporter.
    /// </summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// How long one batch export may take in all, retries and their waits included (the OTLP
    /// <c>OTEL_EXPORTER_OTLP_TIMEOUT</c>). Defaults to 10 seconds;
    /// <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> means no limit.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Request body compression. Defaults to <see cref="OtlpCompression.None"/>.</summary>
    public OtlpCompression Compression { get; set; } = OtlpCompression.None;

    /// <summary>
    /// When and how often a failed export is tried again. On by default: only answers the OTLP
    /// specification calls retryable (HTTP 429/502/503/504, gRPC UNAVAILABLE and the like, network
    /// errors) are retried, never a rejected request. Set <see cref="OtlpRetryOptions.MaxAttempts"/>
    /// to 1 to turn retries off.
    /// </summary>
    public OtlpRetryOptions Retry { get; } = new();

    /// <summary>
    /// A PEM file with the certificate(s) trusted to verify the server's certificate, for a
    /// collector whose certificate comes from a private CA or is self-signed
    /// (<c>OTEL_EXPORTER_OTLP_CERTIFICATE</c>). When set, the server's chain must end at one of
    /// these certificates instead of a root the system trusts; the host name is still checked.
    /// Null (the default) uses the system's trust store.
    /// </summary>
    /// <remarks>
    /// The three TLS files (this, <see cref="ClientCertificatePath"/>, <see cref="ClientKeyPath"/>)
    /// are read when the exporter is created, and only for an https:// endpoint (with http:// they
    /// are ignored, with a warning). A file that is missing or holds no usable PEM, or a client
    /// certificate without its key or the reverse, does not throw: it is reported through
    /// <see cref="OnDiagnostic"/> and the SDK's event source, naming the setting and the path, and
    /// the exporter then sends nothing (each export fails, reported) rather than send with weaker
    /// TLS than was asked for.
    /// </remarks>
    public string? TrustedCertificatePath { get; set; }

    /// <summary>
    /// A PEM file with the client certificate for mutual TLS
    /// (<c>OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE</c>), optionally followed by its intermediate
    /// CA certificates, which are sent with it. Needs <see cref="ClientKeyPath"/>; read and
    /// checked as described for <see cref="TrustedCertificatePath"/>.
    /// </summary>
    public string? ClientCertificatePath { get; set; }

    /// <summary>
    /// A PEM file with the unencrypted private key of <see cref="ClientCertificatePath"/>
    /// (<c>OTEL_EXPORTER_OTLP_CLIENT_KEY</c>; PKCS#8, RSA or EC). Needs
    /// <see cref="ClientCertificatePath"/>; read and checked as described for
    /// <see cref="TrustedCertificatePath"/>.
    /// </summary>
    public string? ClientKeyPath { get; set; }

    /// <summary>
    /// Receives what the exporter has to report: configuration it ignored, spans the server
    /// rejected (partial success), retries and failed exports, each with what to check
    /// (<see cref="OtlpDiagnostic.Advice"/>). Called on the exporting thread; keep it cheap.
    /// Exceptions it throws are swallowed. Independently of this callback, an exporter in a tracing
    /// session tells the user about failed exports and ignored settings (rate-limited, see
    /// <see cref="SdkDiagnosticsOptions"/>).
    /// </summary>
    public Action<OtlpDiagnostic>? OnDiagnostic { get; set; }

    /// <summary>
    /// What <see cref="FromEnvironment(Func{string, string?})"/> ignored, one sentence per
    /// variable (name, value, why). The exporter also reports each through
    /// <see cref="OnDiagnostic"/> when it is created.
    /// </summary>
    public IReadOnlyList<string> ConfigurationWarnings => _configurationWarnings;

    /// <summary>True when <see cref="Endpoint"/> came from OTEL_EXPORTER_OTLP_ENDPOINT: a base the signal path is appended to.</summary>
    internal bool EndpointIsBase { get; private set; }

    /// <summary>
    /// Options from the OpenTelemetry environment variables, read through
    /// <paramref name="getEnvironmentVariable"/>:
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (a base: HTTP protocols post to its <c>v1/traces</c>),
    /// <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c> (used as it is),
    /// <c>OTEL_EXPORTER_OTLP_[TRACES_]PROTOCOL</c> (<c>grpc</c>, <c>http/protobuf</c>, <c>http/json</c>),
    /// <c>OTEL_EXPORTER_OTLP_[TRACES_]HEADERS</c> (<c>key=value,key2=value2</c>, percent-decoded),
    /// <c>OTEL_EXPORTER_OTLP_[TRACES_]TIMEOUT</c> (milliseconds; 0 means no limit),
    /// <c>OTEL_EXPORTER_OTLP_[TRACES_]COMPRESSION</c> (<c>gzip</c>, <c>none</c>) and the PEM file
    /// paths <c>OTEL_EXPORTER_OTLP_[TRACES_]CERTIFICATE</c>,
    /// <c>OTEL_EXPORTER_OTLP_[TRACES_]CLIENT_CERTIFICATE</c> and
    /// <c>OTEL_EXPORTER_OTLP_[TRACES_]CLIENT_KEY</c> (<see cref="TrustedCertificatePath"/>,
    /// <see cref="ClientCertificatePath"/>, <see cref="ClientKeyPath"/>).
    /// A TRACES_ variable wins over the general one. An empty variable counts as unset; an invalid
    /// one is ignored (the next variable or the default applies) and described in
    /// <see cref="ConfigurationWarnings"/>. The certificate files are read, and their problems
    /// reported, when the exporter is created.
    /// </summary>
    public static OtlpExporterOptions FromEnvironment(Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        var options = new OtlpExporterOptions();
        OtlpEnvironment.Apply(options, getEnvironmentVariable);
        return options;
    }

    /// <summary>Options from this process's <c>OTEL_EXPORTER_OTLP_*</c> environment variables.</summary>
    public static OtlpExporterOptions FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariable);

    internal void SetBaseEndpoint(Uri endpoint)
    {
        _endpoint = endpoint;
        EndpointIsBase = true;
    }

    /// <summary>Remembers which variable set a path option, so a problem with the file names that variable.</summary>
    internal void RecordPathVariable(string option, string variable, string path) => _pathVariables[option] = (variable, path);

    /// <summary>
    /// The name to report for a path option's problem: the environment variable it came from, or
    /// the property when code set it (or changed it after <see cref="FromEnvironment(Func{string, string?})"/>).
    /// </summary>
    internal string PathSettingName(string option, string path) =>
        _pathVariables.TryGetValue(option, out var source) && source.Path == path ? source.Variable : $"OtlpExporterOptions.{option}";

    /// <summary>The same warnings, structured for the SDK's event source.</summary>
    internal IReadOnlyList<(string Setting, string Value, string Reason)> ConfigurationIssues => _configurationIssues;

    internal void AddConfigurationWarning(string setting, string shownValue, string reason, string message)
    {
        _configurationIssues.Add((setting, shownValue, reason));
        _configurationWarnings.Add(message);
    }

    /// <summary>The URL requests go to (for gRPC, before the service path is added).</summary>
    internal Uri ResolveEndpoint()
    {
        if (Protocol == OtlpExportProtocol.Grpc) return _endpoint ?? DefaultGrpcEndpoint;

        var endpoint = _endpoint ?? DefaultHttpEndpoint;
        var appendPath = _endpoint is null || EndpointIsBase || endpoint.AbsolutePath is "" or "/";
        return appendPath ? AppendPath(endpoint, TracesPath) : endpoint;
    }

    /// <summary>The protocol as OTEL_EXPORTER_OTLP_PROTOCOL spells it.</summary>
    internal static string ProtocolName(OtlpExportProtocol protocol) => protocol switch
    {
        OtlpExportProtocol.HttpProtobuf => "http/protobuf",
        OtlpExportProtocol.HttpJson => "http/json",
        _ => "grpc",
    };

    internal static Uri AppendPath(Uri baseUri, string relativePath)
    {
        var builder = new UriBuilder(baseUri);
        var path = builder.Path.EndsWith('/') ? builder.Path : builder.Path + "/";
        builder.Path = path + relativePath;
        return builder.Uri;
    }
}

/// <summary>
/// Retry with exponential backoff and jitter. The first retry waits about
/// <see cref="InitialBackoff"/>; each next one <see cref="BackoffMultiplier"/> times longer, up
/// to <see cref="MaxBackoff"/>. A server's own delay (HTTP Retry-After, gRPC RetryInfo) replaces
/// the computed one. No retry starts past the export's <see cref="OtlpExporterOptions.Timeout"/>.
/// </summary>
public sealed class OtlpRetryOptions
{
    /// <summary>Attempts per batch, the first included. Defaults to 5; 1 turns retries off.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The wait before the first retry. Defaults to 1 second.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest computed wait. Defaults to 5 seconds.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How much longer each wait is than the one before. Defaults to 1.5.</summary>
    public double BackoffMultiplier { get; set; } = 1.5;

    /// <summary>
    /// Randomness in each computed wait, as a fraction: 0.2 (the default) waits between 80% and
    /// 120% of the backoff, so clients that failed together do not retry together. 0 disables it.
    /// </summary>
    public double Jitter { get; set; } = 0.2;
}
