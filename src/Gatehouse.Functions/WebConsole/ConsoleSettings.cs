using System.Text.Json.Serialization;
using Gatehouse.Functions.Access.EntraId;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Gatehouse.Functions.WebConsole;

/// <summary>
/// What the console reads before anyone signs in, so that one build serves every deployment:
/// <c>GET /console/config.json</c>, unauthenticated, from the app's own settings. It says how
/// to sign in with Entra ID (a public client's id, the tenant's endpoints, the scope), or null
/// when the console offers only a pasted token. No secrets: there are none in a public client.
/// </summary>
internal static class ConsoleSettings
{
    public const string Path = "/console/config.json";

    public static void MapConsoleSettings(this WebApplication app) =>
        app.MapGet(Path, Read).ExcludeFromDescription().WithMetadata(WebConsolePage.Instance);

    private static JsonHttpResult<ConsoleSettingsDocument> Read(ConsoleEntraSignInSetting setting, HttpContext context)
    {
        // A deployment may change its settings: the page must not keep an old answer.
        context.Response.Headers[HeaderNames.CacheControl] = "no-cache";
        var document = new ConsoleSettingsDocument(setting.SignIn is { } entra
            ? new EntraIdDocument(entra.ClientId, entra.AuthorizationEndpoint.ToString(), entra.TokenEndpoint.ToString(), [entra.Scope])
            : null);
        return TypedResults.Json(document);
    }
}

internal sealed record ConsoleSettingsDocument([property: JsonPropertyName("entra_id")] EntraIdDocument? EntraId);

internal sealed record EntraIdDocument(
    [property: JsonPropertyName("client_id")] string ClientId,
    [property: JsonPropertyName("authorization_endpoint")] string AuthorizationEndpoint,
    [property: JsonPropertyName("token_endpoint")] string TokenEndpoint,
    [property: JsonPropertyName("scopes")] IReadOnlyList<string> Scopes);
