using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Gatehouse.Azure.KeyVault;

/// <summary>
/// The certificate operations of Azure Key Vault's data plane REST API that Gatehouse needs
/// (create with a policy, poll the pending operation, read, delete, purge), on an Azure.Core
/// pipeline: the official Azure.Security.KeyVault.Certificates package cannot be restored here.
/// Shaped like that package's <c>CertificateClient</c> so that swapping it in is a small change.
/// Failures throw <see cref="RequestFailedException"/> with Key Vault's error code and message.
/// </summary>
public partial class KeyVaultCertificateClient
{
    public const string Scope = "https://vault.azure.net/.default";

    private static readonly int[] s_ok = [200];
    private static readonly int[] s_accepted = [202];
    private static readonly int[] s_noContent = [204];

    private readonly HttpPipeline _pipeline;
    private readonly string _vault;
    private readonly string _version;

    public KeyVaultCertificateClient(Uri vaultUri, TokenCredential credential, KeyVaultCertificateClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(vaultUri);
        ArgumentNullException.ThrowIfNull(credential);
        options ??= new KeyVaultCertificateClientOptions();
        // A bearer token for the vault's resource. (The official client first asks the vault for
        // a challenge to learn the tenant; a managed identity in the vault's tenant needs no such step.)
        _pipeline = HttpPipelineBuilder.Build(options, new BearerTokenAuthenticationPolicy(credential, Scope));
        _vault = vaultUri.AbsoluteUri.TrimEnd('/');
        _version = options.Version;
        VaultUri = vaultUri;
    }

    /// <summary>For mocking frameworks only.</summary>
    protected KeyVaultCertificateClient()
    {
        _pipeline = null!;
        _vault = _version = "";
        VaultUri = null!;
    }

    public virtual Uri VaultUri { get; }

    /// <summary><c>POST /certificates/{name}/create</c>: 202 and the pending operation, which <see cref="GetCertificateOperationAsync"/> follows.</summary>
    public virtual async Task<Response<CertificateOperationProperties>> StartCreateCertificateAsync(
        string name, CertificatePolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var body = new JsonObject
        {
            ["policy"] = policy.ToJson(),
            ["attributes"] = new JsonObject { ["enabled"] = true },
        };
        using var message = CreateMessage(RequestMethod.Post, $"certificates/{CheckName(name)}/create");
        message.Request.Headers.SetValue(HttpHeader.Names.ContentType, "application/json");
        message.Request.Content = RequestContent.Create(BinaryData.FromString(body.ToJsonString()));
        return await SendAsync(message, s_accepted, CertificateOperationProperties.Read, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>GET /certificates/{name}/pending</c>.</summary>
    public virtual async Task<Response<CertificateOperationProperties>> GetCertificateOperationAsync(string name, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Get, $"certificates/{CheckName(name)}/pending");
        return await SendAsync(message, s_ok, CertificateOperationProperties.Read, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>GET /certificates/{name}</c>: the latest version.</summary>
    public virtual async Task<Response<KeyVaultCertificate>> GetCertificateAsync(string name, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Get, $"certificates/{CheckName(name)}");
        return await SendAsync(message, s_ok, KeyVaultCertificate.Read, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>DELETE /certificates/{name}</c>: every version, its key and its secret. On a vault with
    /// soft delete (all vaults now) they move to the deleted state, recoverable until purged.
    /// </summary>
    public virtual async Task<Response<DeletedCertificate>> DeleteCertificateAsync(string name, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Delete, $"certificates/{CheckName(name)}");
        return await SendAsync(message, s_ok, DeletedCertificate.Read, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>GET /deletedcertificates/{name}</c>: 404 until the deletion has finished.</summary>
    public virtual async Task<Response<DeletedCertificate>> GetDeletedCertificateAsync(string name, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Get, $"deletedcertificates/{CheckName(name)}");
        return await SendAsync(message, s_ok, DeletedCertificate.Read, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>DELETE /deletedcertificates/{name}</c>: gone for good. Needs the purge permission; refused under purge protection.</summary>
    public virtual async Task<Response> PurgeDeletedCertificateAsync(string name, CancellationToken cancellationToken = default)
    {
        using var message = CreateMessage(RequestMethod.Delete, $"deletedcertificates/{CheckName(name)}");
        await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return s_noContent.Contains(message.Response.Status) ? message.Response : throw new RequestFailedException(message.Response);
    }

    private HttpMessage CreateMessage(RequestMethod method, string path)
    {
        var message = _pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(new Uri($"{_vault}/{path}?api-version={_version}"));
        message.Request.Headers.SetValue(HttpHeader.Names.Accept, "application/json");
        return message;
    }

    private async Task<Response<T>> SendAsync<T>(HttpMessage message, int[] expected, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var response = message.Response;
        if (!expected.Contains(response.Status))
        {
            // Key Vault's {"error":{"code","message"}}, which Azure.Core's default parser reads.
            throw new RequestFailedException(response);
        }
        try
        {
            using var document = JsonDocument.Parse(response.Content);
            return Response.FromValue(read(document.RootElement), response);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new RequestFailedException(response.Status, $"Key Vault answered {response.Status} with a body that is not what the API describes: {e.Message}", e);
        }
    }

    /// <summary>Key Vault object names: 1 to 127 letters, digits and hyphens.</summary>
    private static string CheckName(string name) =>
        name is not null && ObjectName().IsMatch(name)
            ? name
            : throw new ArgumentException($"'{name}' is not a Key Vault object name (1-127 letters, digits, hyphens).", nameof(name));

    [GeneratedRegex("^[0-9a-zA-Z-]{1,127}$")]
    private static partial Regex ObjectName();
}
