using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Threadline.Sdk.Tests.Export;

/// <summary>
/// Certificates made for the TLS tests, with their PEM files in a temporary directory: a test CA
/// that signs a server certificate for localhost/127.0.0.1, one for another name, and a client
/// certificate; and an unrelated CA that signs nothing the servers use.
/// </summary>
public sealed class TestPki : IDisposable
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    private readonly string _directory = Directory.CreateTempSubdirectory("threadline-tls-").FullName;

    // One instant for every certificate: a leaf must not outlive its CA, which separate clock
    // reads a second apart would allow.
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    public TestPki()
    {
        Ca = CreateCa("CN=Threadline Test CA");
        OtherCa = CreateCa("CN=Threadline Other CA");
        Server = Issue(Ca, "CN=localhost", ServerAuth, san =>
        {
            san.AddDnsName("localhost");
            san.AddIpAddress(IPAddress.Loopback);
        });
        WrongNameServer = Issue(Ca, "CN=otlp.example", ServerAuth, san => san.AddDnsName("otlp.example"));
        Client = Issue(Ca, "CN=threadline-client", ClientAuth, san => san.AddDnsName("threadline-client"));

        CaPath = Write("ca.pem", Ca.ExportCertificatePem());
        OtherCaPath = Write("other-ca.pem", OtherCa.ExportCertificatePem());
        ClientCertificatePath = Write("client.pem", Client.ExportCertificatePem());
        ClientKeyPath = Write("client-key.pem", Client.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        // A key that is valid PEM but belongs to another certificate.
        OtherKeyPath = Write("other-key.pem", OtherCa.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
    }

    public X509Certificate2 Ca { get; }

    public X509Certificate2 OtherCa { get; }

    /// <summary>Signed by <see cref="Ca"/> for localhost and 127.0.0.1.</summary>
    public X509Certificate2 Server { get; }

    /// <summary>Signed by <see cref="Ca"/>, but for otlp.example only.</summary>
    public X509Certificate2 WrongNameServer { get; }

    public X509Certificate2 Client { get; }

    public string CaPath { get; }

    public string OtherCaPath { get; }

    public string ClientCertificatePath { get; }

    public string ClientKeyPath { get; }

    public string OtherKeyPath { get; }

    /// <summary>Writes a file into the temporary directory and returns its path.</summary>
    public string Write(string name, string content)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>A path in the temporary directory with no file behind it.</summary>
    public string Missing(string name) => Path.Combine(_directory, name);

    /// <summary>True when <paramref name="certificate"/> chains to <see cref="Ca"/> and no system root.</summary>
    public bool IssuedByCa(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.Add(Ca);
        return chain.Build(certificate);
    }

    public void Dispose()
    {
        foreach (var certificate in new[] { Ca, OtherCa, Server, WrongNameServer, Client }) certificate.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private X509Certificate2 CreateCa(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request.CreateSelfSigned(_now.AddMinutes(-10), _now.AddDays(2));
    }

    private X509Certificate2 Issue(X509Certificate2 issuer, string subject, Oid usage, Action<SubjectAlternativeNameBuilder> names)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var san = new SubjectAlternativeNameBuilder();
        names(san);
        request.CertificateExtensions.Add(san.Build());
        using var signed = request.Create(issuer, _now.AddMinutes(-5), _now.AddDays(1), RandomNumberGenerator.GetBytes(16));
        return signed.CopyWithPrivateKey(key);
    }
}
