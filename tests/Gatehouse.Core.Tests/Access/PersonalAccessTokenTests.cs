using Gatehouse.Core.Access;

namespace Gatehouse.Core.Tests.Access;

public sealed class PersonalAccessTokenTests
{
    [Fact]
    public void Personal_tokens_have_their_own_prefix_and_the_same_strength()
    {
        var tokens = Enumerable.Range(0, 50).Select(_ => AccessTokenSecret.NewPersonalAccessToken()).ToList();
        Assert.All(tokens, t => Assert.Matches("^kpat_[0-9A-Za-z]{43}$", t));
        Assert.Equal(tokens.Count, tokens.Distinct().Count());
        Assert.All(tokens, t => Assert.True(AccessTokenSecret.LooksLikeAccessToken(t)));
        Assert.All(tokens, t => Assert.False(AccessTokenSecret.LooksLikeSystemAccountToken(t)));
        Assert.True(AccessTokenSecret.LooksLikeAccessToken(AccessTokenSecret.NewSystemAccountToken()));
        Assert.False(AccessTokenSecret.LooksLikeAccessToken("kpat_short"));
        Assert.False(AccessTokenSecret.LooksLikeAccessToken("xpat_" + tokens[0][5..]));
        Assert.False(AccessTokenSecret.LooksLikeAccessToken(tokens[0][..^1] + "-"));
    }

    [Fact]
    public void A_tokens_state_is_revoked_before_expired_before_active()
    {
        var now = DateTimeOffset.UtcNow;
        var token = new PersonalAccessToken(Guid.NewGuid(), Guid.NewGuid(), "t", "h", now, now, now.AddHours(1), null, null, null);
        Assert.Equal(PersonalAccessTokenState.Active, token.StateAt(now));
        Assert.Equal(PersonalAccessTokenState.Expired, token.StateAt(now.AddHours(1)));
        Assert.Equal(PersonalAccessTokenState.Revoked, (token with { RevokedAt = now }).StateAt(now.AddHours(2)));
    }

    [Fact]
    public void A_principal_says_what_it_is()
    {
        var now = DateTimeOffset.UtcNow;
        var user = Principal.Of(new User(Guid.NewGuid(), "alice@example.com", "Alice", "", now, now), []);
        Assert.Equal((PrincipalType.User, "user 'alice@example.com'", false), (user.Type, user.Description, user.IsOrganizationAdmin));
        Assert.Null(user.Account);
        var account = new SystemAccount(Guid.NewGuid(), "ci", "", false, now, now);
        var machine = Principal.Of(account, []);
        Assert.Equal((PrincipalType.SystemAccount, account.Id, "system account 'ci'"), (machine.Type, machine.Id, machine.Description));
        Assert.Equal((PrincipalType.OrganizationAdmin, (Guid?)null, true), (Principal.OrganizationAdmin.Type, Principal.OrganizationAdmin.Id, Principal.OrganizationAdmin.IsOrganizationAdmin));
    }
}
