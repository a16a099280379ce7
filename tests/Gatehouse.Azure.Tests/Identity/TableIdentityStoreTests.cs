using Azure.Data.Tables;
using Gatehouse.Azure.Identity;
using Gatehouse.Azure.Storage;
using Gatehouse.Core.Access;
using Gatehouse.Testing;

namespace Gatehouse.Azure.Tests.Identity;

/// <summary>The identity store against Azurite: unique names, tokens found by hash alone, and removals that leave nothing that authenticates.</summary>
public sealed class TableIdentityStoreTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(TableIdentityStore Store, TableClient Table)> NewStoreAsync()
    {
        var layout = new StorageLayout(storage.UniqueName("i"));
        var tables = storage.CreateTableServiceClient();
        var store = new TableIdentityStore(tables, layout);
        await store.InitializeAsync(Ct);
        return (store, tables.GetTableClient(layout.IdentityTable));
    }

    private static SystemAccount NewAccount(string name) =>
        new(Guid.NewGuid(), name, "d", false, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);

    private static (AccessToken Token, string Secret) NewToken(Guid accountId, string name = "t")
    {
        var secret = AccessTokenSecret.NewSystemAccountToken();
        var now = DateTimeOffset.UtcNow;
        return (new AccessToken(Guid.NewGuid(), accountId, name, AccessTokenSecret.Hash(secret), now, now, now.AddHours(1), null), secret);
    }

    [Fact]
    public async Task Names_are_unique_and_a_rename_frees_the_old_one()
    {
        var (store, _) = await NewStoreAsync();
        var first = NewAccount("ci");
        Assert.True(await store.TryAddAccountAsync(first, Ct));
        Assert.False(await store.TryAddAccountAsync(NewAccount("ci"), Ct));
        Assert.Single(await store.ListAccountsAsync(Ct));

        var read = (await store.FindAccountAsync(first.Id, Ct))!;
        Assert.Equal(IdentityWriteOutcome.Committed, await store.TryReplaceAccountAsync(read, read with { Name = "ci-2" }, Ct));
        // The version read before the rename is stale now.
        Assert.Equal(IdentityWriteOutcome.Stale, await store.TryReplaceAccountAsync(read, read with { Name = "ci-3" }, Ct));
        Assert.True(await store.TryAddAccountAsync(NewAccount("ci"), Ct));
        var other = NewAccount("other");
        Assert.True(await store.TryAddAccountAsync(other, Ct));
        var otherRead = (await store.FindAccountAsync(other.Id, Ct))!;
        Assert.Equal(IdentityWriteOutcome.Taken, await store.TryReplaceAccountAsync(otherRead, otherRead with { Name = "ci-2" }, Ct));
    }

    [Fact]
    public async Task A_token_is_found_by_its_hash_with_its_account_and_roles_and_not_after_removal()
    {
        var (store, _) = await NewStoreAsync();
        var account = NewAccount("holder");
        Assert.True(await store.TryAddAccountAsync(account, Ct));
        var (token, secret) = NewToken(account.Id);
        await store.AddTokenAsync(token, Ct);
        var role = new AssignedRole(Guid.NewGuid(), "Viewer", "*", ControlPlaneRoles.EntityType, "*");
        await store.AddRoleAsync(IdentityRef.SystemAccount(account.Id), role, Ct);

        var holder = await store.FindHolderAsync(AccessTokenSecret.Hash(secret), Ct);
        Assert.NotNull(holder);
        Assert.Equal(account.Id, holder.Principal.Id);
        Assert.Equal(PrincipalType.SystemAccount, holder.Principal.Type);
        Assert.Equal(token.Id, holder.TokenId);
        Assert.Equal([role], holder.Principal.Roles);
        Assert.Null(await store.FindHolderAsync(AccessTokenSecret.Hash(secret + "x"), Ct));
        Assert.Null(await store.FindHolderAsync("not-a-hash", Ct));

        var used = DateTimeOffset.UtcNow;
        await store.TouchTokenAsync(IdentityRef.SystemAccount(account.Id), token.Id, used, Ct);
        Assert.Equal(used.ToUnixTimeMilliseconds(), (await store.FindTokenAsync(account.Id, token.Id, Ct))!.LastUsedAt!.Value.ToUnixTimeMilliseconds());

        Assert.True(await store.RemoveTokenAsync(token, Ct));
        Assert.False(await store.RemoveTokenAsync(token, Ct));
        Assert.Null(await store.FindHolderAsync(AccessTokenSecret.Hash(secret), Ct));
        // Touching a removed token does not bring it back.
        await store.TouchTokenAsync(IdentityRef.SystemAccount(account.Id), token.Id, DateTimeOffset.UtcNow, Ct);
        Assert.Null(await store.FindTokenAsync(account.Id, token.Id, Ct));
    }

    [Fact]
    public async Task Removing_an_account_leaves_no_row_of_it()
    {
        var (store, table) = await NewStoreAsync();
        var account = NewAccount("doomed");
        var kept = NewAccount("kept");
        Assert.True(await store.TryAddAccountAsync(account, Ct));
        Assert.True(await store.TryAddAccountAsync(kept, Ct));
        var secrets = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var (token, secret) = NewToken(account.Id, $"t{i}");
            await store.AddTokenAsync(token, Ct);
            secrets.Add(secret);
            await store.AddRoleAsync(IdentityRef.SystemAccount(account.Id), new AssignedRole(Guid.NewGuid(), "Admin", Guid.NewGuid().ToString(), ControlPlaneRoles.EntityType, "eu"), Ct);
        }
        var (keptToken, keptSecret) = NewToken(kept.Id);
        await store.AddTokenAsync(keptToken, Ct);

        Assert.True(await store.RemoveAccountAsync(account.Id, Ct));
        Assert.False(await store.RemoveAccountAsync(account.Id, Ct));
        foreach (var secret in secrets)
        {
            Assert.Null(await store.FindHolderAsync(AccessTokenSecret.Hash(secret), Ct));
        }
        var rows = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(select: ["RowKey"], cancellationToken: Ct))
        {
            rows.Add(row.RowKey);
        }
        Assert.DoesNotContain(rows, key => key.Contains(account.Id.ToString(), StringComparison.Ordinal));
        Assert.Equal(4, rows.Count); // the kept account, its name, its token and the token's hash
        Assert.NotNull(await store.FindHolderAsync(AccessTokenSecret.Hash(keptSecret), Ct));
        Assert.True(await store.TryAddAccountAsync(NewAccount("doomed"), Ct));
    }
}
