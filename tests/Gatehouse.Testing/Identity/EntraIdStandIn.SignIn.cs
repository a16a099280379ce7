using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Testing.Identity;

/// <summary>
/// The tenant's v2.0 sign-in for single-page applications, from the published contract: the OAuth 2.0
/// authorization code flow with PKCE (RFC 6749 §4.1, RFC 7636) at
/// <c>/{tenant}/oauth2/v2.0/authorize</c> and <c>/{tenant}/oauth2/v2.0/token</c>. The authorization
/// endpoint checks the client and its registered redirect URI (refusing on its own page, as Entra
/// does, rather than redirecting to an unregistered address), shows a sign-in form for the tenant's
/// people, and redirects back with a one-use code. The token endpoint redeems it only from a browser
/// (an <c>Origin</c> header, as Entra requires of SPA clients) with the verifier whose S256 challenge
/// the code was issued for, and answers with an access token for the API whose scope was asked for,
/// its audience being that API's client id, as in Entra's v2.0 tokens. Errors carry Entra's AADSTS codes.
/// </summary>
public sealed partial class EntraIdStandIn
{
    private static readonly TimeSpan s_codeLifetime = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<Guid, HashSet<string>> _singlePageApps = new();
    private readonly ConcurrentDictionary<string, string> _apis = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Person> _people = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Grant> _codes = new(StringComparer.Ordinal);
    private int _tokensIssued;

    /// <summary>How many access tokens the token endpoint issued.</summary>
    public int TokensIssued => Volatile.Read(ref _tokensIssued);

    /// <summary>An app registration on the "Single-page application" platform, with its redirect URIs.</summary>
    public void RegisterSinglePageApp(Guid clientId, params Uri[] redirectUris) =>
        _singlePageApps[clientId] = [.. redirectUris.Select(u => u.ToString())];

    /// <summary>
    /// An API registration exposing scopes under its application ID URI (<c>api://…</c>): tokens asked
    /// for with one of them are for <paramref name="audience"/>, its client id.
    /// </summary>
    public void ExposeApi(string applicationIdUri, string audience) => _apis[applicationIdUri.TrimEnd('/')] = audience;

    /// <summary>A person of the tenant who can sign in with their email; their object id.</summary>
    public Guid AddPerson(string email, Guid? objectId = null, IEnumerable<Guid>? groups = null)
    {
        var person = new Person(objectId ?? Guid.NewGuid(), email, [.. groups ?? []]);
        _people[email] = person;
        return person.ObjectId;
    }

    private async Task AuthorizeAsync(HttpContext context)
    {
        var request = HttpMethods.IsPost(context.Request.Method) ? (IEnumerable<KeyValuePair<string, StringValues>>)await context.Request.ReadFormAsync(context.RequestAborted) : context.Request.Query;
        var p = request.ToDictionary(kv => kv.Key, kv => kv.Value.ToString(), StringComparer.Ordinal);
        string Get(string name) => p.TryGetValue(name, out var value) ? value : "";

        if (!Guid.TryParse(Get("client_id"), out var clientId) || !_singlePageApps.TryGetValue(clientId, out var redirectUris))
        {
            await PageAsync(context, HttpStatusCode.BadRequest, $"AADSTS700016: Application with identifier '{Get("client_id")}' was not found in the directory.");
            return;
        }
        var redirectUri = Get("redirect_uri");
        if (!redirectUris.Contains(redirectUri))
        {
            await PageAsync(context, HttpStatusCode.BadRequest,
                $"AADSTS50011: The redirect URI '{redirectUri}' specified in the request does not match the redirect URIs configured for the application '{clientId}'.");
            return;
        }
        // From here on, errors go back to the registered redirect URI (RFC 6749 §4.1.2.1).
        if (Get("response_type") != "code")
        {
            Redirect(context, redirectUri, Get("state"), ("error", "unsupported_response_type"), ("error_description", "AADSTS700054: response_type must be 'code'."));
            return;
        }
        if (Get("code_challenge_method") != "S256" || Get("code_challenge").Length != 43)
        {
            Redirect(context, redirectUri, Get("state"), ("error", "invalid_request"), ("error_description", "AADSTS9002325: Proof Key for Code Exchange is required for cross-origin authorization code redemption."));
            return;
        }
        if (AudienceOf(Get("scope")) is null)
        {
            Redirect(context, redirectUri, Get("state"), ("error", "invalid_scope"), ("error_description", $"AADSTS70011: The provided value for the input parameter 'scope' is not valid: '{Get("scope")}'."));
            return;
        }
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            await SignInFormAsync(context, p, error: null);
            return;
        }
        if (!_people.TryGetValue(Get("login"), out var person))
        {
            await SignInFormAsync(context, p, $"AADSTS50034: The user account {Get("login")} does not exist in the {TenantId:D} directory.");
            return;
        }
        var code = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        _codes[code] = new Grant(clientId, redirectUri, Get("code_challenge"), Get("scope"), person, DateTimeOffset.UtcNow + s_codeLifetime);
        Redirect(context, redirectUri, Get("state"), ("code", code));
    }

    private async Task RedeemAsync(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            // What lets the page at that origin read the answer: Entra answers SPA redemptions so.
            context.Response.Headers.AccessControlAllowOrigin = origin;
        }
        if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.HasFormContentType)
        {
            await TokenErrorAsync(context, "invalid_request", "AADSTS900144: The request body must contain the following parameter: 'grant_type'.");
            return;
        }
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (form["grant_type"] != "authorization_code")
        {
            await TokenErrorAsync(context, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type.");
            return;
        }
        // One use: a second redemption of the same code fails even where the first did.
        if (!_codes.TryRemove(form["code"].ToString(), out var grant) || grant.Expires < DateTimeOffset.UtcNow)
        {
            await TokenErrorAsync(context, "invalid_grant", "AADSTS70008: The provided authorization code or refresh token has expired or was already redeemed.");
            return;
        }
        if (!Guid.TryParse(form["client_id"], out var clientId) || clientId != grant.ClientId || form["redirect_uri"] != grant.RedirectUri)
        {
            await TokenErrorAsync(context, "invalid_grant", "AADSTS50148: The code was issued to another client or for another redirect URI.");
            return;
        }
        if (origin.Length == 0)
        {
            await TokenErrorAsync(context, "invalid_request", "AADSTS9002327: Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests.");
            return;
        }
        var verifier = form["code_verifier"].ToString();
        if (verifier.Length == 0 || Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) != grant.CodeChallenge)
        {
            await TokenErrorAsync(context, "invalid_grant", "AADSTS501481: The Code_Verifier does not match the code_challenge supplied in the authorization request.");
            return;
        }
        var token = Mint(AudienceOf(grant.Scope)!, grant.Person.ObjectId, grant.Person.Email, grant.Person.Groups);
        Interlocked.Increment(ref _tokensIssued);
        context.Response.Headers.CacheControl = "no-store";
        await JsonAsync(context, HttpStatusCode.OK, new JsonObject
        {
            ["token_type"] = "Bearer",
            ["scope"] = grant.Scope,
            ["expires_in"] = 3599,
            ["ext_expires_in"] = 3599,
            ["access_token"] = token,
        });
    }

    /// <summary>The audience of the one exposed API the scopes name (OpenID Connect's own scopes aside); null if none or several.</summary>
    private string? AudienceOf(string scope)
    {
        string[] openIdScopes = ["openid", "profile", "email", "offline_access"];
        var audiences = scope.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(s => !openIdScopes.Contains(s, StringComparer.Ordinal))
            .Select(s => s.LastIndexOf('/') is var slash and > 0 && _apis.TryGetValue(s[..slash], out var audience) ? audience : null)
            .Distinct()
            .ToList();
        return audiences is [{ } only] ? only : null;
    }

    private static void Redirect(HttpContext context, string redirectUri, string state, params (string Name, string Value)[] parameters)
    {
        var query = string.Join('&', parameters.Append(("state", state)).Where(p => p.Item2.Length > 0)
            .Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2)}"));
        context.Response.Redirect($"{redirectUri}{(redirectUri.Contains('?', StringComparison.Ordinal) ? '&' : '?')}{query}");
    }

    // The page a person signs in on: the request's parameters carried along in the form, as Entra's own page does.
    private Task SignInFormAsync(HttpContext context, Dictionary<string, string> parameters, string? error)
    {
        var hidden = string.Concat(parameters.Where(kv => kv.Key != "login")
            .Select(kv => $"<input type=\"hidden\" name=\"{WebUtility.HtmlEncode(kv.Key)}\" value=\"{WebUtility.HtmlEncode(kv.Value)}\">"));
        var message = error is null ? "" : $"<p id=\"error\">{WebUtility.HtmlEncode(error)}</p>";
        return HtmlAsync(context, HttpStatusCode.OK, $"""
            <h1>Sign in to tenant {TenantId:D}</h1>{message}
            <form method="post"><label>Email <input id="login" name="login" type="email"></label>{hidden}
            <button id="submit" type="submit">Sign in</button></form>
            """);
    }

    private static Task PageAsync(HttpContext context, HttpStatusCode status, string error) =>
        HtmlAsync(context, status, $"<h1>Sorry, but we're having trouble signing you in.</h1><p id=\"error\">{WebUtility.HtmlEncode(error)}</p>");

    private static Task HtmlAsync(HttpContext context, HttpStatusCode status, string body)
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync($"<!doctype html><html><head><title>Sign in</title></head><body>{body}</body></html>", context.RequestAborted);
    }

    private static Task TokenErrorAsync(HttpContext context, string error, string description) =>
        JsonAsync(context, HttpStatusCode.BadRequest, new JsonObject { ["error"] = error, ["error_description"] = description });

    private static Task JsonAsync(HttpContext context, HttpStatusCode status, JsonObject body)
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    private sealed record Person(Guid ObjectId, string Email, IReadOnlyList<Guid> Groups);

    private sealed record Grant(Guid ClientId, string RedirectUri, string CodeChallenge, string Scope, Person Person, DateTimeOffset Expires);
}
