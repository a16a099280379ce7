using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Functions.Http;

/// <summary>
/// Every management request must carry <c>Authorization: Bearer {admin token}</c>. The token is
/// compared by hash in constant time and never logged.
/// </summary>
internal sealed class AdminTokenMiddleware(RequestDelegate next, AdminToken token, ILogger<AdminTokenMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (token.Matches(context.Request.Headers.Authorization.ToString()))
        {
            await next(context);
            return;
        }

        logger.LogWarning("Refused {Method} {Path}: missing or wrong bearer token", context.Request.Method, context.Request.Path);
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await ErrorDialect.Of(context).WriteUnauthorizedAsync(context);
    }
}

/// <summary>The admin token from <c>Gatehouse:AdminToken</c>, kept only as its SHA-256.</summary>
public sealed class AdminToken
{
    public const int MinimumLength = 24;

    private readonly byte[] _hash;

    public AdminToken(string token)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length < MinimumLength)
        {
            throw new InvalidOperationException(
                $"Gatehouse__AdminToken must be set to a secret of at least {MinimumLength} characters (./dev.sh up generates one).");
        }
        // On Azure the setting is a Key Vault reference; when the platform cannot resolve it, the
        // app receives the reference's own text, which is no secret at all.
        if (token.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                "Gatehouse__AdminToken is a Key Vault reference the platform did not resolve: check that the secret exists and that the " +
                "app's identity (keyVaultReferenceIdentity) holds Key Vault Secrets User on the vault.");
        }
        _hash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    public bool Matches(string authorization)
    {
        const string scheme = "Bearer ";
        if (!authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(authorization[scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(presented, _hash);
    }
}
