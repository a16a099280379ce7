using System.Security.Claims;
using System.Security.Cryptography;
using Gatehouse.Core.DataPlanes.Push;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Functions.DataPlanes.Push;

/// <summary>
/// Access tokens for the in-process hub: HS256 JWTs naming the control plane and the node, signed
/// with a key made when the process starts. A per-process key is enough because the local hub
/// only reaches connections to this process anyway; a restart invalidates the tokens, and sidecars
/// negotiate again when they reconnect.
/// </summary>
internal sealed class LocalHubTokens
{
    public const string Issuer = "gatehouse";
    public const string Audience = "gatehouse-dataplane-hub";
    public const string ControlPlaneClaim = "cp";
    public const string NodeClaim = "node";
    public const string UserClaim = "nameid";

    private static readonly JsonWebTokenHandler s_handler = new() { SetDefaultTimesOnTokenCreation = false };

    private readonly SymmetricSecurityKey _key = new(RandomNumberGenerator.GetBytes(32));
    private readonly TimeProvider _clock;
    private readonly TokenValidationParameters _validation;

    public LocalHubTokens(TimeProvider clock)
    {
        _clock = clock;
        _validation = new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            IssuerSigningKey = _key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.FromSeconds(30),
            LifetimeValidator = (notBefore, expires, _, parameters) =>
            {
                var now = _clock.GetUtcNow().UtcDateTime;
                return expires is { } end && now < end + parameters.ClockSkew && (notBefore is not { } start || now >= start - parameters.ClockSkew);
            },
        };
    }

    /// <summary>A token for <paramref name="nodeId"/> of <paramref name="controlPlane"/>, valid for <see cref="DataPlaneHub.TokenLifetime"/> from <paramref name="issuedAt"/> (now).</summary>
    public string Issue(Guid controlPlane, string nodeId, DateTimeOffset? issuedAt = null)
    {
        var now = issuedAt ?? _clock.GetUtcNow();
        return s_handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + DataPlaneHub.TokenLifetime).UtcDateTime,
            Subject = new ClaimsIdentity(
            [
                new Claim(ControlPlaneClaim, controlPlane.ToString("D")),
                new Claim(NodeClaim, nodeId),
                new Claim(UserClaim, DataPlaneHub.UserOf(controlPlane, nodeId)),
            ]),
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>
    /// The token's identity, or null and why not: a token this process did not sign (another
    /// process, or before a restart), one expired, or one for another audience.
    /// </summary>
    public async Task<(ClaimsIdentity? Identity, string? Refusal)> ValidateAsync(string token)
    {
        var result = await s_handler.ValidateTokenAsync(token, _validation).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return (null, result.Exception switch
            {
                SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "not signed by this process (another instance, or one since restarted)",
                SecurityTokenExpiredException or SecurityTokenInvalidLifetimeException => "expired",
                SecurityTokenInvalidAudienceException or SecurityTokenInvalidIssuerException => "not issued for this hub",
                _ => "not a valid token",
            });
        }
        return result.ClaimsIdentity.FindFirst(ControlPlaneClaim) is { } cp && Guid.TryParse(cp.Value, out _)
            ? (result.ClaimsIdentity, null)
            : (null, "names no control plane");
    }
}
