using System.Collections.Concurrent;
using Azure;
using Gatehouse.Core.Access;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.Access;

/// <summary>
/// Turns a bearer token into a principal: the admin token is the organization admin; a
/// <c>spat_</c> token is its system account with its roles, unless unknown, expired or revoked.
/// A token's <c>last_used_at</c> is written at most once per <see cref="LastUsedResolution"/>, not on every request.
/// </summary>
internal sealed class TokenAuthentication(
    AdminToken admin, IIdentityStore store, StorageReadiness readiness, TimeProvider clock, ILogger<TokenAuthentication> logger)
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
        if (!AccessTokenSecret.LooksLikeSystemAccountToken(bearer))
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
        var holder = await store.FindHolderAsync(AccessTokenSecret.Hash(bearer), context.RequestAborted);
        var now = clock.GetUtcNow();
        if (holder is null || holder.Token.IsExpiredAt(now))
        {
            return null;
        }
        await NoteUseAsync(holder.Token, now, context.RequestAborted);
        return Principal.Of(holder.Account, holder.Roles);
    }

    private async Task NoteUseAsync(AccessToken token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var noted = _usesNoted.TryGetValue(token.Id, out var here) ? here : token.LastUsedAt;
        if (noted is { } last && now - last < LastUsedResolution)
        {
            return;
        }
        _usesNoted[token.Id] = now;
        try
        {
            await store.TouchTokenAsync(token, now, cancellationToken);
        }
        catch (RequestFailedException e)
        {
            // A note of use is worth less than the request it is about; the next minute tries again.
            _usesNoted.TryRemove(token.Id, out _);
            logger.LogWarning("Could not note the use of access token {TokenId}: {Status} {Reason}", token.Id, e.Status, e.ErrorCode);
        }
    }
}
