using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Gatehouse.Functions.DataPlanes;

/// <summary>
/// Where data planes present client certificates when Gatehouse runs on Kestrel (locally): an
/// HTTPS endpoint on <c>Gatehouse__DataPlane__HttpsPort</c>, next to the plain HTTP one, that
/// asks every client for a certificate and accepts any at the TLS layer. Trust is not the chain's
/// business here: the data plane API pins the certificate by its SHA-256 afterwards, as Kong's
/// <c>cluster_mtls = shared</c> does. The server certificate is self-signed, kept in
/// <c>Gatehouse__DataPlane__ServerCertificateFile</c> (PEM, certificate and key; made on first
/// start) or, without that setting, made afresh at every start.
/// On Azure there is no such endpoint: App Service terminates TLS and forwards the certificate.
/// </summary>
internal static class DataPlaneHttps
{
    public static void Configure(WebApplicationBuilder builder)
    {
        if (builder.Configuration["Gatehouse:DataPlane:HttpsPort"] is not { Length: > 0 } portText)
        {
            builder.Services.AddSingleton(new DataPlaneListener(null, null));
            return;
        }
        if (!int.TryParse(portText, out var port) || port is < 0 or > 65535)
        {
            throw new InvalidOperationException($"Gatehouse__DataPlane__HttpsPort must be a TCP port (0 picks a free one); it is '{portText}'.");
        }
        var certificate = LoadOrCreate(builder.Configuration["Gatehouse:DataPlane:ServerCertificateFile"]);
        builder.Services.AddSingleton(new DataPlaneListener(port, certificate.ExportCertificatePem()));
        var urls = builder.Configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } configured ? configured : "http://localhost:5000";
        builder.WebHost.UseUrls($"{urls};https://127.0.0.1:{port}");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
        {
            https.ServerCertificate = certificate;
            https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
            https.AllowAnyClientCertificate();
        }));
    }

    /// <summary>The PEM file's certificate and key; the file is made (readable by its owner only) when missing.</summary>
    public static X509Certificate2 LoadOrCreate(string? file)
    {
        if (file is { Length: > 0 } && File.Exists(file))
        {
            using var stored = X509Certificate2.CreateFromPemFile(file);
            return Reloaded(stored);
        }
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Gatehouse data plane endpoint", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(5));
        if (file is { Length: > 0 })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using var writer = new StreamWriter(file, options);
            writer.Write(created.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem() + "\n");
        }
        return Reloaded(created);
    }

    // A certificate with a key made in memory is not usable by TLS on every platform; one loaded
    // from PKCS#12 is.
    private static X509Certificate2 Reloaded(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
}
