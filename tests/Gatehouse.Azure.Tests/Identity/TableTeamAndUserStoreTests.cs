using Gatehouse.Azure.Identity;
using Gatehouse.Azure.Storage;
using Gatehouse.Core.Access;
using Gatehouse.Testing;

namespace Gatehouse.Azure.Tests.Identity;

/// <summary>Users, personal access tokens, teams and memberships in the identity store against Azurite.</summary>
public sealed class TableTeamAndUserStoreTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<TableIdentityStore> NewStoreAsync()
    {
        var store = new TableIdentityStore(storage.CreateTableServiceClient(), new StorageLayout(storage.UniqueName("i")));
        await store.InitializeAsync(Ct);
        return store;
    }

    private static User NewUser(string email) => new(Guid.NewGuid(), email, "Full Name", "", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);

    private static (PersonalAccessToken Token, string Secret) NewPat(Guid userId)
    {
        var secret = AccessTokenSecret.NewPersonalAccessToken();
        var now = DateTimeOffset.UtcNow;
        return (new PersonalAccessToken(Guid.NewGuid(), userId, "t", AccessTokenSecret.Hash(secret), now, now, now.AddHours(1), null, null, null), secret);
    }

    private static Team NewTeam(string name) => new(Guid.NewGuid(), name, "", new Dictionary<string, string> { ["env"] = "test" }, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);

    private static AssignedRole Viewer(string entity) => new(Guid.NewGuid(), "Viewer", entity, ControlPlaneRoles.EntityType, "*");

    [Fact]
    public async Task Emails_are_unique_whatever_their_case()
    {
        var store = await NewStoreAsync();
        var alice = NewUser("Alice@Example.com");
        Assert.True(await store.TryAddUserAsync(alice, Ct));
        Assert.False(await store.TryAddUserAsync(NewUser("alice@example.COM"), Ct));
        Assert.Equal("Alice@Example.com", Assert.Single(await store.ListUsersAsync(Ct)).Email);
        Assert.True(await store.RemoveUserAsync(alice.Id, Ct));
        Assert.False(await store.RemoveUserAsync(alice.Id, Ct));
        Assert.True(await store.TryAddUserAsync(NewUser("alice@example.com"), Ct));
    }

    [Fact]
    public async Task A_users_token_holder_carries_its_own_and_its_teams_roles()
    {
        var store = await NewStoreAsync();
        var user = NewUser("bob@example.com");
        Assert.True(await store.TryAddUserAsync(user, Ct));
        var (token, secret) = NewPat(user.Id);
        await store.AddPersonalTokenAsync(token, Ct);
        var own = Viewer("*");
        await store.AddRoleAsync(IdentityRef.User(user.Id), own, Ct);
        var team = NewTeam("ops");
        await store.AddTeamAsync(team, Ct);
        var teamRole = Viewer(Guid.NewGuid().ToString());
        await store.AddRoleAsync(IdentityRef.Team(team.Id), teamRole, Ct);

        var alone = (await store.FindHolderAsync(AccessTokenSecret.Hash(secret), Ct))!;
        Assert.Equal(PrincipalType.User, alone.Principal.Type);
        Assert.Equal(user.Id, alone.Principal.Id);
        Assert.Equal("user 'bob@example.com'", alone.Principal.Description);
        Assert.False(alone.Principal.IsOrganizationAdmin);
        Assert.Equal([own], alone.Principal.Roles);

        Assert.True(await store.TryAddMemberAsync(team.Id, IdentityRef.User(user.Id), Ct));
        Assert.False(await store.TryAddMemberAsync(team.Id, IdentityRef.User(user.Id), Ct));
        Assert.Equal([IdentityRef.User(user.Id)], await store.ListMembersAsync(team.Id, Ct));
        Assert.Equal([team.Id], await store.ListTeamsOfAsync(IdentityRef.User(user.Id), Ct));
        var member = (await store.FindHolderAsync(AccessTokenSecret.Hash(secret), Ct))!;
        Assert.Equal([own, teamRole], member.Principal.Roles);

        Assert.True(await store.RemoveMemberAsync(team.Id, IdentityRef.User(user.Id), Ct));
        Assert.False(await store.RemoveMemberAsync(team.Id, IdentityRef.User(user.Id), Ct));
        Assert.Equal([own], (await store.FindHolderAsync(AccessTokenSecret.Hash(secret), Ct))!.Principal.Roles);
    }

    [Fact]
    public async Task A_revoked_token_stays_listed_and_authenticates_no_more()
    {
        var store = await NewStoreAsync();
        var user = NewUser("carol@example.com");
        Assert.True(await store.TryAddUserAsync(user, Ct));
        var (token, secret) = NewPat(user.Id);
        await store.AddPersonalTokenAsync(token, Ct);
        Assert.NotNull(await store.FindHolderAsync(AccessTokenSecret.Hash(secret), Ct));

        var revokedAt = DateTimeOffset.UtcNow;
        var revoked = token with { RevokedAt = revokedAt, RevokedBy = user.Id, UpdatedAt = revokedAt };
        Assert.True(await store.RevokePersonalTokenAsync(revoked, Ct));
        Assert.False(await store.RevokePersonalTokenAsync(revoked, Ct));
        Assert.Null(await store.FindHolderAsync(AccessTokenSecret.Hash(secret), Ct));
        var read = (await store.FindPersonalTokenAsync(user.Id, token.Id, Ct))!;
        Assert.Equal(PersonalAccessTokenState.Revoked, read.StateAt(DateTimeOffset.UtcNow));
        Assert.Equal(user.Id, read.RevokedBy);

        Assert.True(await store.RemovePersonalTokenAsync(read, Ct));
        Assert.False(await store.RemovePersonalTokenAsync(read, Ct));
        Assert.Empty(await store.ListPersonalTokensAsync(user.Id, Ct));
    }

    [Fact]
    public async Task Removing_a_team_or_a_member_leaves_no_membership_behind()
    {
        var store = await NewStoreAsync();
        var account = new SystemAccount(Guid.NewGuid(), "ci", "", false, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
        Assert.True(await store.TryAddAccountAsync(account, Ct));
        var user = NewUser("dave@example.com");
        Assert.True(await store.TryAddUserAsync(user, Ct));
        var (token, secret) = NewPat(user.Id);
        await store.AddPersonalTokenAsync(token, Ct);
        var first = NewTeam("first");
        var second = NewTeam("second");
        await store.AddTeamAsync(first, Ct);
        await store.AddTeamAsync(second, Ct);
        await store.AddRoleAsync(IdentityRef.Team(first.Id), Viewer("*"), Ct);
        foreach (var team in new[] { first, second })
        {
            Assert.True(await store.TryAddMemberAsync(team.Id, IdentityRef.SystemAccount(account.Id), Ct));
            Assert.True(await store.TryAddMemberAsync(team.Id, IdentityRef.User(user.Id), Ct));
        }
        Assert.Equal(2, (await store.ListTeamsAsync(Ct)).Count);
        Assert.Equal("test", (await store.FindTeamAsync(first.Id, Ct))!.Labels["env"]);

        Assert.True(await store.RemoveTeamAsync(first.Id, Ct));
        Assert.False(await store.RemoveTeamAsync(first.Id, Ct));
        Assert.Empty(await store.ListRolesAsync(IdentityRef.Team(first.Id), Ct));
        Assert.Equal([second.Id], await store.ListTeamsOfAsync(IdentityRef.User(user.Id), Ct));
        Assert.Empty((await store.FindHolderAsync(AccessTokenSecret.Hash(secret), Ct))!.Principal.Roles);

        Assert.True(await store.RemoveAccountAsync(account.Id, Ct));
        Assert.True(await store.RemoveUserAsync(user.Id, Ct));
        Assert.Empty(await store.ListMembersAsync(second.Id, Ct));
        Assert.Empty(await store.ListTeamsOfAsync(IdentityRef.SystemAccount(account.Id), Ct));
        Assert.Null(await store.FindHolderAsync(AccessTokenSecret.Hash(secret), Ct));

        var read = (await store.FindTeamAsync(second.Id, Ct))!;
        Assert.Equal(IdentityWriteOutcome.Committed, await store.TryReplaceTeamAsync(read, read with { Name = "renamed" }, Ct));
        Assert.Equal(IdentityWriteOutcome.Stale, await store.TryReplaceTeamAsync(read, read with { Name = "again" }, Ct));
    }
}
