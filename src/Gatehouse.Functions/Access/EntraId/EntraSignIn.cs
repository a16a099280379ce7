using Gatehouse.Core.Access;

namespace Gatehouse.Functions.Access.EntraId;

/// <summary>
/// People signing in with an Entra ID access token: the token checked against the tenant, then the
/// person made a principal (<see cref="SignInService"/>) and remembered for as long as a token's
/// holder is. Off (<see cref="Enabled"/> false) unless <c>Gatehouse__EntraId__*</c> is set.
/// Tokens are never logged; a refusal logs its reason.
/// </summary>
internal sealed class EntraSignIn(EntraIdTokens? tokens, SignInService signIns, RecentTokenHolders recent, ILogger<EntraSignIn> logger)
{
    public bool Enabled => tokens is not null;

    /// <summary>The person's principal; null when the token is refused or the person cannot be signed in.</summary>
    public async Task<Principal?> SignInAsync(string token, CancellationToken cancellationToken)
    {
        if (tokens is null)
        {
            return null;
        }
        var check = await tokens.CheckAsync(token, cancellationToken);
        if (check.Identity is not { } identity)
        {
            logger.LogWarning("Refused an Entra ID token: {Reason}", check.RefusedBecause);
            return null;
        }
        if (identity.GroupsOverflowed)
        {
            logger.LogWarning(
                "The Entra ID token of {ObjectId} lists no groups because they are in too many; team-group mappings do not apply to them (configure the app registration's groups claim to emit only groups assigned to the application)",
                identity.ObjectId);
        }
        var groups = identity.Groups.Select(g => g.ToString("D")).Order(StringComparer.Ordinal).ToList();
        var person = new SignedInPerson(identity.ObjectId, identity.Email, identity.Name, groups);
        return await recent.SignedInAsync($"{identity.ObjectId:D}|{string.Join(',', groups)}", async () =>
        {
            var (principal, refused) = await signIns.SignInAsync(person, cancellationToken);
            if (principal is null)
            {
                logger.LogWarning("Could not sign in {ObjectId} from Entra ID: {Reason}", identity.ObjectId, refused);
            }
            return principal;
        });
    }
}
