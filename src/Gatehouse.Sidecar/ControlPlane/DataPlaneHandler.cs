using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Gatehouse.Sidecar.ControlPlane;

/// <summary>
/// The one connection pool a node talks to its control plane through — config, heartbeats,
/// negotiate and the hub's WebSocket — presenting the node's client certificate, and trusting the
/// server by the system's roots or, when given, only by the PEM the operator names (a local
/// Gatehouse's self-signed certificate).
/// </summary>
internal static class DataPlaneHandler
{
    public static SocketsHttpHandler Create(X509Certificate2 clientCertificate, X509Certificate2Collection? serverTrust)
    {
        var tls = new SslClientAuthenticationOptions
        {
            ClientCertificates = [clientCertificate],
            // Always present it: the server asks for any certificate, it does not name acceptable CAs.
            LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate,
        };
        if (serverTrust is { Count: > 0 })
        {
            tls.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            tls.CertificateChainPolicy.CustomTrustStore.AddRange(serverTrust);
        }
        return new SocketsHttpHandler
        {
            SslOptions = tls,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Brotli,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
    }

    /// <summary>The certificate with its key, from PEM files (the key may be in the certificate's file).</summary>
    public static X509Certificate2 LoadClientCertificate(string certificateFile, string? keyFile)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        // A PEM-loaded key is ephemeral; TLS on some platforms needs it exported and loaded again.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    public static X509Certificate2Collection LoadTrust(string pemFile)
    {
        var trust = new X509Certificate2Collection();
        trust.ImportFromPemFile(pemFile);
        if (trust.Count == 0)
        {
            throw new InvalidOperationException($"{pemFile} holds no certificate.");
        }
        return trust;
    }
}
