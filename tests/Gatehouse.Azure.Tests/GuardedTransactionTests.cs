using Azure.Data.Tables;
using Gatehouse.Azure.Tables;
using Gatehouse.Testing;

namespace Gatehouse.Azure.Tests;

/// <summary>Which guard stopped a transaction, as the control plane and certificate stores act on it.</summary>
public sealed class GuardedTransactionTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(TableClient Table, TableEntity Row)> NewTableWithRowAsync()
    {
        var table = storage.CreateTableServiceClient().GetTableClient(storage.UniqueName("g"));
        await table.CreateIfNotExistsAsync(Ct);
        await table.AddEntityAsync(new TableEntity("p", "row") { ["V"] = 1 }, Ct);
        await table.AddEntityAsync(new TableEntity("p", "name:taken"), Ct);
        return (table, (await table.GetEntityAsync<TableEntity>("p", "row", cancellationToken: Ct)).Value);
    }

    private static TableTransactionAction Replace(TableEntity read, int value) =>
        new(TableTransactionActionType.UpdateReplace, new TableEntity("p", "row") { ["V"] = value }, read.ETag);

    private static async Task<int?> ValueAsync(TableClient table) =>
        (await table.GetEntityIfExistsAsync<TableEntity>("p", "row", cancellationToken: Ct)) is { HasValue: true, Value: { } row } ? row.GetInt32("V") : null;

    [Fact]
    public async Task A_transaction_on_rows_as_read_commits()
    {
        var (table, read) = await NewTableWithRowAsync();

        Assert.Equal(GuardedOutcome.Committed,
            await table.SubmitGuardedAsync([Replace(read, 2), new(TableTransactionActionType.Add, new TableEntity("p", "name:free"))], Ct));

        Assert.Equal(2, await ValueAsync(table));
    }

    [Fact]
    public async Task A_row_changed_since_it_was_read_makes_it_stale()
    {
        var (table, read) = await NewTableWithRowAsync();
        await table.UpdateEntityAsync(new TableEntity("p", "row") { ["V"] = 5 }, read.ETag, TableUpdateMode.Replace, Ct);

        Assert.Equal(GuardedOutcome.Stale, await table.SubmitGuardedAsync([Replace(read, 2)], Ct));

        Assert.Equal(5, await ValueAsync(table));
    }

    [Fact]
    public async Task A_row_removed_since_it_was_read_makes_it_stale()
    {
        var (table, read) = await NewTableWithRowAsync();
        await table.DeleteEntityAsync("p", "row", cancellationToken: Ct);

        Assert.Equal(GuardedOutcome.Stale, await table.SubmitGuardedAsync([Replace(read, 2)], Ct));
        Assert.Equal(GuardedOutcome.Stale, await table.SubmitGuardedAsync([new(TableTransactionActionType.Delete, read, read.ETag)], Ct));

        Assert.Null(await ValueAsync(table));
    }

    [Fact]
    public async Task A_row_added_where_one_is_says_the_key_is_taken_and_writes_nothing()
    {
        var (table, read) = await NewTableWithRowAsync();

        Assert.Equal(GuardedOutcome.Taken,
            await table.SubmitGuardedAsync([Replace(read, 2), new(TableTransactionActionType.Add, new TableEntity("p", "name:taken"))], Ct));

        Assert.Equal(1, await ValueAsync(table));
    }

    [Fact]
    public async Task A_missing_table_is_no_guard_and_is_thrown()
    {
        var table = storage.CreateTableServiceClient().GetTableClient(storage.UniqueName("missing"));

        var e = await Assert.ThrowsAsync<TableTransactionFailedException>(() =>
            table.SubmitGuardedAsync([new(TableTransactionActionType.Add, new TableEntity("p", "r"))], Ct));

        Assert.Equal(404, e.Status);
    }
}
