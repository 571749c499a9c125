using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Threadline.Sdk.Export.Otlp;

/// <summary>A TLS setting the exporter could not use, or ignored.</summary>
/// <param name="Setting">The environment variable or option that named the file.</param>
/// <param name="Path">The path as configured.</param>
/// <param name="Reason">Why, as a clause.</param>
/// <param name="Fatal">True when the exporter must not send: the setting could not be honoured.</param>
internal sealed record OtlpTlsIssue(string Setting, string Path, string Reason, bool Fatal)
{
    public string Message => Fatal ? $"{Setting}='{Path}' cannot be used: {Reason}." : $"{Setting}='{Path}' was ignored: {Reason}.";
}

/// <summary>
/// The exporter's TLS files, read once when it is created: the certificates trusted to verify the
/// server (<see cref="OtlpExporterOptions.TrustedCertificatePath"/>) and the client certificate
/// and key for mutual TLS. Loading never throws: a file that cannot be used becomes a fatal
/// <see cref="Issues"/> entry, and the exporter then refuses to send rather than connect with
/// weaker TLS than was asked for.
/// </summary>
internal sealed class OtlpTlsSettings : IDisposable
{
    private const string NoCertificate = "the file holds no PEM certificate (a -----BEGIN CERTIFICATE----- block)";

    private readonly List<OtlpTlsIssue> _issues = [];
    private X509Certificate2Collection? _trusted;
    private X509Certificate2? _clientCertificate;
    private X509Certificate2Collection? _clientIntermediates;
    private SslStreamCertificateContext? _clientContext;

    private OtlpTlsSettings()
    {
    }

    public IReadOnlyList<OtlpTlsIssue> Issues => _issues;

    /// <summary>The first fatal issue, or null when every configured file was loaded.</summary>
    public OtlpTlsIssue? FirstFatal => _issues.Find(issue => issue.Fatal);

    public static OtlpTlsSettings Load(OtlpExporterOptions options, Uri endpoint)
    {
        var settings = new OtlpTlsSettings();
        var trusted = PathSetting.Of(options, nameof(OtlpExporterOptions.TrustedCertificatePath), options.TrustedCertificatePath);
        var certificate = PathSetting.Of(options, nameof(OtlpExporterOptions.ClientCertificatePath), options.ClientCertificatePath);
        var key = PathSetting.Of(options, nameof(OtlpExporterOptions.ClientKeyPath), options.ClientKeyPath);

        if (endpoint.Scheme != Uri.UriSchemeHttps)
        {
            // Plain http was chosen explicitly; the files are not read, but someone who set them
            // most likely expected TLS, so say that they have no effect.
            foreach (var setting in new[] { trusted, certificate, key })
            {
                if (setting is not null) settings._issues.Add(new(setting.Name, setting.Path, $"the endpoint {endpoint} does not use TLS; use an https:// endpoint", Fatal: false));
            }
            return settings;
        }

        if (trusted is not null) settings.LoadTrusted(trusted);
        if (certificate is not null || key is not null) settings.LoadClient(certificate, key);
        return settings;
    }

    /// <summary>Configures the handler's TLS client options with what was loaded.</summary>
    public void ApplyTo(SslClientAuthenticationOptions ssl)
    {
        if (_trusted is not null)
        {
            // The chain must end at one of these certificates rather than at a system root.
            // SslStream still checks the host name against the certificate and still requires the
            // serverAuth usage (it adds it to an empty ApplicationPolicy): only the anchor changes.
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                // Private CAs seldom publish revocation lists; this is SslStream's own default too.
                RevocationMode = X509RevocationMode.NoCheck,
            };
            policy.CustomTrustStore.AddRange(_trusted);
            ssl.CertificateChainPolicy = policy;
        }
        if (_clientContext is not null)
        {
            // A context (rather than ClientCertificates) is always sent, whatever CA names the
            // server lists, and carries the intermediates from the certificate file.
            ssl.ClientCertificateContext = _clientContext;
        }
    }

    public void Dispose()
    {
        DisposeAll(_trusted);
        DisposeAll(_clientIntermediates);
        _clientCertificate?.Dispose();
    }

    private void LoadTrusted(PathSetting setting)
    {
        if (!TryRead(setting, out var pem)) return;
        var certificates = ParseCertificates(setting, pem);
        if (certificates is null) return;
        _trusted = certificates;
    }

    private void LoadClient(PathSetting? certificate, PathSetting? key)
    {
        if (certificate is null)
        {
            Fail(key!, $"a client key needs its certificate: set {Counterpart(key!, "CLIENT_CERTIFICATE", nameof(OtlpExporterOptions.ClientCertificatePath))} too");
            return;
        }
        if (key is null)
        {
            Fail(certificate, $"a client certificate needs its private key: set {Counterpart(certificate, "CLIENT_KEY", nameof(OtlpExporterOptions.ClientKeyPath))} too");
            return;
        }

        // Both are read even when the first fails, so one run reports every broken file.
        var certificateRead = TryRead(certificate, out var certificatePem);
        var keyRead = TryRead(key, out var keyPem);
        if (!certificateRead || !keyRead) return;

        var chain = ParseCertificates(certificate, certificatePem);
        if (chain is null) return;
        if (keyPem.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal))
        {
            DisposeAll(chain);
            Fail(key, "the key is encrypted, and the OTLP settings have no password: use an unencrypted PEM key");
            return;
        }

        X509Certificate2 withKey;
        try
        {
            // Pairs the first certificate of the file with the key.
            withKey = X509Certificate2.CreateFromPem(certificatePem, keyPem);
        }
        catch (Exception exception) when (exception is CryptographicException or ArgumentException)
        {
            DisposeAll(chain);
            Fail(key, $"the file holds no PEM private key (PKCS#8, RSA or EC) that matches the certificate in {certificate.Name} ({exception.Message})");
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            // SChannel cannot use a key that exists only in memory (dotnet/runtime#23749); a
            // PKCS#12 round trip gives it a real key container.
            var persisted = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), password: null);
            withKey.Dispose();
            withKey = persisted;
        }

        // The rest of the file, if anything, is the chain up to the CA: sent along so a server
        // that knows only the root can still verify the client.
        chain[0].Dispose();
        chain.RemoveAt(0);
        try
        {
            _clientContext = SslStreamCertificateContext.Create(withKey, chain, offline: true);
        }
        catch (CryptographicException exception)
        {
            withKey.Dispose();
            DisposeAll(chain);
            Fail(certificate, $"the certificate cannot be used for TLS ({exception.Message})");
            return;
        }
        _clientCertificate = withKey;
        _clientIntermediates = chain;
    }

    private X509Certificate2Collection? ParseCertificates(PathSetting setting, string pem)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(pem);
        }
        catch (CryptographicException exception)
        {
            DisposeAll(certificates);
            Fail(setting, $"a CERTIFICATE block in the file is not a valid certificate ({exception.Message})");
            return null;
        }
        if (certificates.Count == 0)
        {
            Fail(setting, NoCertificate);
            return null;
        }
        return certificates;
    }

    private bool TryRead(PathSetting setting, out string text)
    {
        text = string.Empty;
        try
        {
            text = File.ReadAllText(setting.Path);
            return true;
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            var full = FullPath(setting.Path);
            Fail(setting, full == setting.Path ? "the file does not exist" : $"the file does not exist (looked for {full})");
        }
        catch (UnauthorizedAccessException)
        {
            Fail(setting, "this process may not read the file");
        }
        catch (Exception exception) when (exception is IOException or ArgumentException or NotSupportedException)
        {
            Fail(setting, $"the file cannot be read ({exception.Message})");
        }
        return false;
    }

    private void Fail(PathSetting setting, string reason) => _issues.Add(new(setting.Name, setting.Path, reason, Fatal: true));

    /// <summary>What to set alongside <paramref name="setting"/>: the matching variable, or the matching option.</summary>
    private static string Counterpart(PathSetting setting, string variableSuffix, string option) =>
        setting.Name.StartsWith("OTEL_", StringComparison.Ordinal)
            ? $"OTEL_EXPORTER_OTLP_[TRACES_]{variableSuffix}"
            : $"OtlpExporterOptions.{option}";

    private static string FullPath(string path)
    {
        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception exception) when (exception is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return path;
        }
    }

    private static void DisposeAll(X509Certificate2Collection? certificates)
    {
        if (certificates is null) return;
        foreach (var certificate in certificates) certificate.Dispose();
    }

    /// <summary>A configured path and the name of the setting it came from.</summary>
    private sealed record PathSetting(string Name, string Path)
    {
        // An empty path counts as unset, as an empty environment variable does.
        public static PathSetting? Of(OtlpExporterOptions options, string option, string? path) =>
            string.IsNullOrWhiteSpace(path) ? null : new(options.PathSettingName(option, path), path);
    }
}
