using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Gatehouse.Azure.Storage;
using Gatehouse.Testing;

namespace Gatehouse.Azure.Tests;

/// <summary>
/// The managed-identity path: bearer tokens from a <see cref="TokenCredential"/>, against an
/// Azurite that checks them (OAuth needs HTTPS, so this Azurite gets a certificate made here).
/// Azurite checks issuer, audience and lifetime, not signatures, so a self-made token stands in
/// for Entra ID's.
/// </summary>
public sealed class TokenCredentialTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("gatehouse-oauth-").FullName;
    private X509Certificate2 _certificate = null!;
    private AzuriteProcess _azurite = null!;

    public async ValueTask InitializeAsync()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certPath = Path.Combine(_directory, "cert.pem");
        var keyPath = Path.Combine(_directory, "key.pem");
        await File.WriteAllTextAsync(certPath, _certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());

        _azurite = await AzuriteProcess.StartAsync(extraArguments: ["--oauth", "basic", "--cert", certPath, "--key", keyPath]);
    }

    public async ValueTask DisposeAsync()
    {
        await _azurite.DisposeAsync();
        _certificate.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>The account as the app reaches it with a managed identity, trusting this Azurite's certificate.</summary>
    private StorageAccount Account(TokenCredential credential)
    {
        var options = new StorageAccountOptions();
        var transport = new HttpClientTransport(new HttpClient(new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert?.Thumbprint == _certificate.Thumbprint,
        }));
        foreach (var service in new ClientOptions[] { options.Tables, options.Blobs, options.Queues })
        {
            service.Transport = transport;
            service.Retry.MaxRetries = 0;
        }
        return StorageAccount.FromServiceUris(_azurite.TableEndpoint, _azurite.BlobEndpoint, _azurite.QueueEndpoint, credential, options);
    }

    [Fact]
    public async Task Every_client_works_with_a_bearer_token_for_the_storage_audience()
    {
        var ct = TestContext.Current.CancellationToken;
        var credential = new SelfIssuedToken("https://storage.azure.com");
        Assert.Equal("https", _azurite.TableEndpoint.Scheme);
        var account = Account(credential);

        var table = account.Tables.GetTableClient("oauthtable");
        await table.CreateIfNotExistsAsync(ct);
        await table.AddEntityAsync(new TableEntity("p", "r") { ["V"] = 1 }, ct);
        Assert.Equal(1, (await table.GetEntityAsync<TableEntity>("p", "r", cancellationToken: ct)).Value.GetInt32("V"));

        var container = account.Blobs.GetBlobContainerClient("oauth");
        await container.CreateIfNotExistsAsync(cancellationToken: ct);
        await container.GetBlobClient("b").UploadAsync(BinaryData.FromString("x"), ct);
        Assert.Equal("x", (await container.GetBlobClient("b").DownloadContentAsync(ct)).Value.Content.ToString());

        var queue = account.Queues.GetQueueClient("oauth");
        await queue.CreateIfNotExistsAsync(cancellationToken: ct);
        await queue.SendMessageAsync("m", cancellationToken: ct);
        Assert.Equal("m", Assert.Single((await queue.ReceiveMessagesAsync(cancellationToken: ct)).Value).MessageText);

        Assert.Contains("https://storage.azure.com/.default", credential.RequestedScopes);
    }

    [Fact]
    public async Task A_token_for_another_audience_is_refused()
    {
        var container = Account(new SelfIssuedToken("https://vault.azure.net")).Blobs.GetBlobContainerClient("refused");
        var e = await Assert.ThrowsAsync<RequestFailedException>(() => container.CreateIfNotExistsAsync(cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains(e.Status, new[] { 401, 403 });
        Assert.Contains("audience", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>An unsigned token shaped like Entra ID's, for the audience given.</summary>
    private sealed class SelfIssuedToken(string audience) : TokenCredential
    {
        public System.Collections.Concurrent.ConcurrentBag<string> RequestedScopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            foreach (var scope in requestContext.Scopes)
            {
                RequestedScopes.Add(scope);
            }
            var now = DateTimeOffset.UtcNow;
            var expires = now.AddHours(1);
            static string Part(object value) => Base64Url(JsonSerializer.SerializeToUtf8Bytes(value));
            var token = Part(new { alg = "none", typ = "JWT" }) + "." + Part(new
            {
                aud = audience,
                iss = "https://sts.windows.net/00000000-0000-0000-0000-000000000000/",
                iat = now.AddMinutes(-1).ToUnixTimeSeconds(),
                nbf = now.AddMinutes(-1).ToUnixTimeSeconds(),
                exp = expires.ToUnixTimeSeconds(),
                oid = Guid.Empty,
            }) + ".";
            return new AccessToken(token, expires);
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));

        private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
