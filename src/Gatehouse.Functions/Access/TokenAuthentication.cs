using System.Collections.Concurrent;
using Azure;
using Gatehouse.Core.Access;
using Gatehouse.Functions.Access.EntraId;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.Access;

/// <summary>
/// Turns a bearer token into a principal: the admin token is the organization admin; a <c>spat_</c>
/// token is its system account, a <c>kpat_</c> token its user, each with its own roles and its teams',
/// unless unknown, expired or revoked; with Entra ID on, a JWT is a person the tenant signed in
/// (<see cref="EntraSignIn"/>).
/// A token's <c>last_used_at</c> is written at most once per <see cref="LastUsedResolution"/>, not on every request.
/// </summary>
internal sealed class TokenAuthentication(
    AdminToken admin, IIdentityStore store, EntraSignIn entra, StorageReadiness readiness, TimeProvider clock, ILogger<TokenAuthentication> logger)
{
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan s_storageWait = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _usesNoted = new();

    public async Task<Principal?> AuthenticateAsync(HttpContext context, string bearer)
    {
        if (admin.Matches(bearer))
        {
            return Principal.OrganizationAdmin;
        }
        var signsIn = entra.Enabled && EntraIdTokens.LooksLikeJwt(bearer);
        if (!signsIn && !AccessTokenSecret.LooksLikeAccessToken(bearer))
        {
            return null;
        }
        try
        {
            await readiness.Ready.WaitAsync(s_storageWait, context.RequestAborted);
        }
        catch (TimeoutException)
        {
            throw new RequestFailedException(StatusCodes.Status503ServiceUnavailable, "Storage is not ready yet.");
        }
        if (signsIn)
        {
            return await entra.SignInAsync(bearer, context.RequestAborted);
        }
        var holder = await store.FindHolderAsync(AccessTokenSecret.Hash(bearer), context.RequestAborted);
        var now = clock.GetUtcNow();
        if (holder is null || holder.IsExpiredAt(now))
        {
            return null;
        }
        await NoteUseAsync(holder, now, context.RequestAborted);
        return holder.Principal;
    }

    private async Task NoteUseAsync(TokenHolder holder, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var noted = _usesNoted.TryGetValue(holder.TokenId, out var here) ? here : holder.LastUsedAt;
        if (noted is { } last && now - last < LastUsedResolution)
        {
            return;
        }
        _usesNoted[holder.TokenId] = now;
        try
        {
            await store.TouchTokenAsync(holder.Owner, holder.TokenId, now, cancellationToken);
        }
        catch (RequestFailedException e)
        {
            // A note of use is worth less than the request it is about; the next minute tries again.
            _usesNoted.TryRemove(holder.TokenId, out _);
            logger.LogWarning("Could not note the use of access token {TokenId}: {Status} {Reason}", holder.TokenId, e.Status, e.ErrorCode);
        }
    }
}
