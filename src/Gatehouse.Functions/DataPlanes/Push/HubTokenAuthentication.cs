using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Gatehouse.Functions.DataPlanes.Push;

/// <summary>
/// Authenticates hub requests (negotiate, then the transport) by a <see cref="LocalHubTokens"/>
/// token: as a bearer header, or in the <c>access_token</c> query parameter where a client cannot
/// set headers (browser WebSockets and server-sent events), as SignalR clients send it.
/// </summary>
internal sealed class HubTokenAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, LocalHubTokens tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "DataPlaneHubToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // The only scheme, so ASP.NET Core runs it on every request; the admin API's bearer token
        // is not a hub token and must not be logged as a refused one.
        if (!Request.Path.StartsWithSegments(LocalDataPlaneHub.Path))
        {
            return AuthenticateResult.NoResult();
        }
        var header = Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? header["Bearer ".Length..].Trim()
            : Request.Query["access_token"].ToString();
        if (token.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }
        var (identity, refusal) = await tokens.ValidateAsync(token);
        if (identity is null)
        {
            Logger.LogInformation("A hub connection to {Path} from {Remote} was refused: its access token is {Refusal}",
                Request.Path.Value, Context.Connection.RemoteIpAddress, refusal);
            return AuthenticateResult.Fail("The access token is not valid.");
        }
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(identity.Claims, SchemeName)), SchemeName));
    }
}
