namespace Gatehouse.Functions.Access.EntraId;

/// <summary>
/// How the web console signs people in with Entra ID: the OAuth 2.0 authorization code flow with
/// PKCE, as a single-page application registered in the tenant. <c>Gatehouse__EntraId__ConsoleClientId</c>
/// is that registration's client id (a GUID; it may be the API's own registration);
/// <c>Gatehouse__EntraId__ConsoleScope</c> is the scope it asks for, by default the API's
/// <c>access_as_user</c> (<c>api://{Audience}/access_as_user</c> when the audience is a client id,
/// <c>{Audience}/access_as_user</c> when it is an application ID URI), so that the token's audience
/// is the one <see cref="EntraIdTokens"/> checks. Without a console client id the console offers
/// only a pasted token. Nothing here is a secret: a public client has none.
/// </summary>
internal sealed record ConsoleEntraSignIn(string ClientId, string Scope, Uri AuthorizationEndpoint, Uri TokenEndpoint)
{
    public const string DefaultScopeName = "access_as_user";

    /// <summary>Null when the console does not sign in with Entra ID.</summary>
    public static ConsoleEntraSignIn? Read(IConfiguration configuration, EntraIdConfiguration? entra)
    {
        var clientId = configuration["Gatehouse:EntraId:ConsoleClientId"];
        var scope = configuration["Gatehouse:EntraId:ConsoleScope"];
        if (string.IsNullOrWhiteSpace(clientId))
        {
            return null;
        }
        if (entra is null)
        {
            throw new InvalidOperationException(
                "Gatehouse__EntraId__ConsoleClientId is set but sign-in with Entra ID is off: set Gatehouse__EntraId__TenantId and __Audience too.");
        }
        if (!Guid.TryParseExact(clientId.Trim(), "D", out var client))
        {
            throw new InvalidOperationException(
                $"Gatehouse__EntraId__ConsoleClientId must be the client id (a GUID) of the console's single-page application registration, not '{clientId}'.");
        }
        var tenantRoot = new Uri(entra.Instance, $"{entra.TenantId}/oauth2/v2.0/");
        return new(
            client.ToString("D"),
            string.IsNullOrWhiteSpace(scope) ? DefaultScope(entra.Audience) : scope.Trim(),
            new Uri(tenantRoot, "authorize"),
            new Uri(tenantRoot, "token"));
    }

    /// <summary>The API's <c>access_as_user</c> scope, named as Entra names scopes of an app: by its application ID URI.</summary>
    public static string DefaultScope(string audience) =>
        Guid.TryParse(audience, out var clientId) ? $"api://{clientId:D}/{DefaultScopeName}" : $"{audience.TrimEnd('/')}/{DefaultScopeName}";
}

/// <summary>Whether, and with which registration, the console signs people in with Entra ID.</summary>
internal sealed record ConsoleEntraSignInSetting(ConsoleEntraSignIn? SignIn);
