using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Functions.Access.EntraId;

/// <summary>
/// Checks an Entra ID access token as the tenant issued it: an RS256 signature by one of the keys in
/// the tenant's OpenID Connect metadata (fetched once and refreshed when a token names a key it
/// lacks, as Entra rolls its keys), the tenant's v2.0 issuer, the configured audience, and a
/// lifetime that holds now. Anything else is refused with the reason, for the log; tokens are
/// never logged.
/// </summary>
internal sealed class EntraIdTokens
{
    /// <summary>How far clocks may disagree: Entra's tokens last an hour or more, so a minute costs nothing.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly TenantMetadata _metadata;
    private readonly TokenValidationParameters _parameters;
    private readonly EntraIdConfiguration _configuration;

    public EntraIdTokens(EntraIdConfiguration configuration, HttpClient http, TimeProvider clock)
    {
        _configuration = configuration;
        _metadata = new TenantMetadata(configuration.MetadataAddress, new HttpDocumentRetriever(http) { RequireHttps = !configuration.AllowsHttp }, clock);
        _parameters = new TokenValidationParameters
        {
            ValidIssuer = configuration.Issuer,
            ValidAudience = configuration.Audience,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ClockSkew = ClockSkew,
            LifetimeValidator = (notBefore, expires, _, parameters) => HoldsAt(clock.GetUtcNow(), notBefore, expires, parameters.ClockSkew),
        };
    }

    public string Issuer => _configuration.Issuer;

    /// <summary>Whether a bearer has a JWT's shape (three base64url parts), so that it is worth checking here.</summary>
    public static bool LooksLikeJwt(string bearer) => bearer.StartsWith("ey", StringComparison.Ordinal) && bearer.Count(c => c == '.') == 2;

    public async Task<EntraTokenCheck> CheckAsync(string token, CancellationToken cancellationToken)
    {
        if (await _metadata.GetAsync(cancellationToken) is not { } metadata)
        {
            return EntraTokenCheck.Refused("the tenant's OpenID Connect metadata could not be read");
        }
        var result = await ValidateAsync(token, metadata);
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException
            && await _metadata.RefreshAsync(cancellationToken) is { } refreshed && !ReferenceEquals(refreshed, metadata))
        {
            // Entra rolls its keys: the token may name one published since the metadata was read.
            result = await ValidateAsync(token, refreshed);
        }
        if (!result.IsValid)
        {
            return EntraTokenCheck.Refused(Reason(result.Exception));
        }
        var claims = result.ClaimsIdentity;
        if (!Guid.TryParse(claims.FindFirst("oid")?.Value, out var objectId))
        {
            return EntraTokenCheck.Refused("the token has no oid claim naming the person");
        }
        if (!string.Equals(claims.FindFirst("tid")?.Value, _configuration.TenantId, StringComparison.OrdinalIgnoreCase))
        {
            return EntraTokenCheck.Refused("the token's tid is not the configured tenant");
        }
        var groups = claims.FindAll("groups").Select(c => Guid.TryParse(c.Value, out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty).ToList();
        var overflowed = claims.FindFirst("_claim_names")?.Value?.Contains("\"groups\"", StringComparison.Ordinal) == true
            || claims.HasClaim(c => c.Type == "hasgroups");
        var email = First(claims, "preferred_username", "email", "upn");
        return EntraTokenCheck.Valid(new EntraIdentity(objectId, email, First(claims, "name"), groups, overflowed));
    }

    private async Task<TokenValidationResult> ValidateAsync(string token, OpenIdConnectConfiguration metadata)
    {
        var parameters = _parameters.Clone();
        parameters.IssuerSigningKeys = metadata.SigningKeys;
        return await _handler.ValidateTokenAsync(token, parameters);
    }

    private static string? First(ClaimsIdentity claims, params string[] types) =>
        types.Select(t => claims.FindFirst(t)?.Value).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    private static bool HoldsAt(DateTimeOffset now, DateTime? notBefore, DateTime? expires, TimeSpan skew) =>
        expires is { } end && now.UtcDateTime < end.ToUniversalTime() + skew
        && (notBefore is not { } start || now.UtcDateTime >= start.ToUniversalTime() - skew);

    // The library's messages can quote the token's own parts; these say what failed and nothing more.
    private static string Reason(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException or SecurityTokenNotYetValidException or SecurityTokenInvalidLifetimeException => "the token is expired or not yet valid",
        SecurityTokenInvalidAudienceException => "the token is for another audience",
        SecurityTokenInvalidIssuerException => "the token is from another issuer",
        SecurityTokenSignatureKeyNotFoundException => "the token is signed with a key the tenant does not publish",
        SecurityTokenInvalidSignatureException => "the token's signature does not verify",
        SecurityTokenInvalidAlgorithmException => "the token is not signed with RS256",
        SecurityTokenMalformedException or ArgumentException => "the token is malformed",
        null => "the token is not valid",
        _ => exception.GetType().Name,
    };
}

/// <summary>A checked token: the person, or why it was refused.</summary>
internal sealed record EntraTokenCheck(EntraIdentity? Identity, string? RefusedBecause)
{
    public static EntraTokenCheck Valid(EntraIdentity identity) => new(identity, null);

    public static EntraTokenCheck Refused(string reason) => new(null, reason);
}
