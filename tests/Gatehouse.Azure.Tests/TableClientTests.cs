using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;
using Gatehouse.Azure.Tables;
using Gatehouse.Testing;

namespace Gatehouse.Azure.Tests;

/// <summary>
/// The Table behaviours Gatehouse's stores rely on, through the official client as
/// <see cref="Storage.StorageAccount"/> configures it: property types, awkward keys, ETag
/// conditions, continuation, and transactions that fail whole and name the operation.
/// </summary>
public sealed class TableClientTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<TableClient> NewTableAsync()
    {
        var table = storage.CreateTableServiceClient().GetTableClient(storage.UniqueName("t"));
        await table.CreateIfNotExistsAsync(Ct);
        return table;
    }

    private static Task<List<TableEntity>> QueryAsync(TableClient table, string partitionKey) =>
        table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}"), cancellationToken: Ct).ToListAsync(Ct).AsTask();

    [Fact]
    public async Task Insert_then_get_round_trips_every_property_type_the_stores_write()
    {
        var table = await NewTableAsync();
        var when = new DateTimeOffset(2026, 11, 21, 10, 30, 15, 123, TimeSpan.Zero).AddTicks(4567);
        var id = Guid.NewGuid();
        var entity = new TableEntity("cp1", "service:abc")
        {
            ["Name"] = "orders",
            ["Enabled"] = true,
            ["Port"] = 8080,
            ["Revision"] = long.MaxValue,
            ["Weight"] = 0.25,
            ["WholeDouble"] = 2.0,
            ["Created"] = when,
            ["Id"] = id,
            ["Blob"] = new byte[] { 0, 1, 2, 255 },
            ["Unicode"] = "é✓🚀 'quoted' \"double\" <xml> &amp;",
            // The service has no null: an absent property is how a table says "no value".
            ["Nothing"] = null,
        };

        var added = await table.AddEntityAsync(entity, Ct);
        Assert.NotNull(added.Headers.ETag);

        var read = (await table.GetEntityAsync<TableEntity>("cp1", "service:abc", cancellationToken: Ct)).Value;
        Assert.Equal("orders", read.GetString("Name"));
        Assert.True(read.GetBoolean("Enabled"));
        Assert.Equal(8080, read.GetInt32("Port"));
        Assert.Equal(long.MaxValue, read.GetInt64("Revision"));
        Assert.Equal(0.25, read.GetDouble("Weight"));
        Assert.IsType<double>(read["WholeDouble"]);
        Assert.Equal(when, read.GetDateTimeOffset("Created"));
        Assert.Equal(id, read.GetGuid("Id"));
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, read.GetBinary("Blob"));
        Assert.Equal("é✓🚀 'quoted' \"double\" <xml> &amp;", read.GetString("Unicode"));
        Assert.False(read.ContainsKey("Nothing"));
        Assert.Equal(added.Headers.ETag, read.ETag);
        Assert.NotNull(read.Timestamp);
    }

    [Theory]
    [InlineData("it's")]
    [InlineData("with space and %25 and +plus")]
    [InlineData("ünïcødé✓")]
    [InlineData("(parens)=,;&")]
    [InlineData("")]
    [InlineData("a-key-of-exactly-the-limit")]
    public async Task Keys_with_awkward_characters_work_in_every_operation(string key)
    {
        var table = await NewTableAsync();
        if (key == "a-key-of-exactly-the-limit")
        {
            key = new string('k', TableLimits.MaxKeyLength);
        }
        await table.AddEntityAsync(new TableEntity(key, key) { ["V"] = 1 }, Ct);
        var read = await table.GetEntityAsync<TableEntity>(key, key, cancellationToken: Ct);
        Assert.Equal(key, read.Value.PartitionKey);
        Assert.Equal(key, read.Value.RowKey);

        await table.UpdateEntityAsync(new TableEntity(key, key) { ["V"] = 2 }, read.Value.ETag, TableUpdateMode.Replace, Ct);
        Assert.Equal(2, Assert.Single(await QueryAsync(table, key)).GetInt32("V"));
        await table.SubmitTransactionAsync([new(TableTransactionActionType.UpdateMerge, new TableEntity(key, key) { ["W"] = 3 }, ETag.All)], Ct);
        Assert.Equal(3, (await table.GetEntityAsync<TableEntity>(key, key, cancellationToken: Ct)).Value.GetInt32("W"));

        await table.DeleteEntityAsync(key, key, cancellationToken: Ct);
        Assert.False((await table.GetEntityIfExistsAsync<TableEntity>(key, key, cancellationToken: Ct)).HasValue);
    }

    [Fact]
    public async Task Insert_of_an_existing_entity_is_a_409_EntityAlreadyExists()
    {
        var table = await NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "r"), Ct);
        var e = await Assert.ThrowsAsync<RequestFailedException>(() => table.AddEntityAsync(new TableEntity("p", "r"), Ct));
        Assert.Equal(409, e.Status);
        Assert.Equal(TableErrorCode.EntityAlreadyExists, e.ErrorCode);
    }

    [Fact]
    public async Task Update_with_a_stale_ETag_is_a_412_and_changes_nothing()
    {
        var table = await NewTableAsync();
        await table.AddEntityAsync(new TableEntity("p", "r") { ["Value"] = "first" }, Ct);
        var original = (await table.GetEntityAsync<TableEntity>("p", "r", cancellationToken: Ct)).Value;

        await table.UpdateEntityAsync(new TableEntity("p", "r") { ["Value"] = "second" }, original.ETag, TableUpdateMode.Replace, Ct);

        var e = await Assert.ThrowsAsync<RequestFailedException>(() =>
            table.UpdateEntityAsync(new TableEntity("p", "r") { ["Value"] = "lost update" }, original.ETag, TableUpdateMode.Replace, Ct));
        Assert.Equal(412, e.Status);
        Assert.Equal(TableErrorCode.UpdateConditionNotSatisfied, e.ErrorCode);

        var stale = await Assert.ThrowsAsync<RequestFailedException>(() => table.DeleteEntityAsync("p", "r", original.ETag, Ct));
        Assert.Equal(412, stale.Status);

        Assert.Equal("second", (await table.GetEntityAsync<TableEntity>("p", "r", cancellationToken: Ct)).Value.GetString("Value"));
    }

    [Fact]
    public async Task Update_of_a_missing_entity_is_a_404()
    {
        var table = await NewTableAsync();
        var e = await Assert.ThrowsAsync<RequestFailedException>(() =>
            table.UpdateEntityAsync(new TableEntity("p", "missing"), ETag.All, cancellationToken: Ct));
        Assert.Equal(404, e.Status);
        Assert.Equal(TableErrorCode.ResourceNotFound, e.ErrorCode);
    }

    [Fact]
    public async Task Merge_keeps_unnamed_properties_and_replace_drops_them()
    {
        var table = await NewTableAsync();
        await table.UpsertEntityAsync(new TableEntity("p", "merge") { ["A"] = 1, ["B"] = 2 }, TableUpdateMode.Replace, Ct);
        await table.UpsertEntityAsync(new TableEntity("p", "merge") { ["B"] = 20, ["C"] = 30 }, TableUpdateMode.Merge, Ct);
        var merged = (await table.GetEntityAsync<TableEntity>("p", "merge", cancellationToken: Ct)).Value;
        Assert.Equal((1, 20, 30), (merged.GetInt32("A"), merged.GetInt32("B"), merged.GetInt32("C")));

        await table.UpsertEntityAsync(new TableEntity("p", "merge") { ["C"] = 300 }, TableUpdateMode.Replace, Ct);
        var replaced = (await table.GetEntityAsync<TableEntity>("p", "merge", cancellationToken: Ct)).Value;
        Assert.False(replaced.ContainsKey("A"));
        Assert.False(replaced.ContainsKey("B"));
        Assert.Equal(300, replaced.GetInt32("C"));
    }

    [Fact]
    public async Task Get_of_a_missing_entity_is_a_404_or_no_value_and_its_delete_is_not_an_error()
    {
        var table = await NewTableAsync();
        var e = await Assert.ThrowsAsync<RequestFailedException>(() => table.GetEntityAsync<TableEntity>("p", "none", cancellationToken: Ct));
        Assert.Equal(404, e.Status);
        Assert.False((await table.GetEntityIfExistsAsync<TableEntity>("p", "none", cancellationToken: Ct)).HasValue);

        // The node store reads "was there one" from this status.
        Assert.Equal(404, (await table.DeleteEntityAsync("p", "none", cancellationToken: Ct)).Status);
    }

    [Fact]
    public async Task Query_follows_continuation_across_more_than_1000_entities()
    {
        var table = await NewTableAsync();
        const int count = 2345;
        for (var batch = 0; batch < count; batch += TableLimits.MaxTransactionActions)
        {
            var actions = Enumerable.Range(batch, Math.Min(TableLimits.MaxTransactionActions, count - batch))
                .Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("bulk", $"{i:D5}") { ["N"] = i }));
            await table.SubmitTransactionAsync(actions, Ct);
        }
        await table.AddEntityAsync(new TableEntity("other", "00001") { ["N"] = -1 }, Ct);

        var pages = new List<int>();
        var seen = new List<int>();
        await foreach (var page in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"bulk"}"), cancellationToken: Ct).AsPages())
        {
            pages.Add(page.Values.Count);
            seen.AddRange(page.Values.Select(e => e.GetInt32("N")!.Value));
        }

        Assert.True(pages.Count >= 3, $"expected at least 3 pages of at most 1,000, got [{string.Join(", ", pages)}]");
        Assert.All(pages, size => Assert.InRange(size, 0, 1000));
        Assert.Equal(Enumerable.Range(0, count), seen);
    }

    [Fact]
    public async Task Query_with_a_page_size_select_and_a_key_range()
    {
        var table = await NewTableAsync();
        for (var i = 0; i < 30; i++)
        {
            await table.AddEntityAsync(new TableEntity("q", $"{(i % 2 == 0 ? "even" : "odd")}:{i:D2}") { ["N"] = i, ["Label"] = $"item{i}" }, Ct);
        }

        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {"q"}") + " and " + TableFilter.StartsWith("RowKey", "even:");
        var pages = await table.QueryAsync<TableEntity>(filter, maxPerPage: 4, select: ["N"], cancellationToken: Ct).AsPages().ToListAsync(Ct);
        var values = pages.SelectMany(p => p.Values).ToList();

        Assert.Equal(Enumerable.Range(0, 15).Select(i => i * 2), values.Select(e => e.GetInt32("N")!.Value));
        Assert.All(pages, p => Assert.True(p.Values.Count <= 4));
        Assert.All(values, e => Assert.False(e.ContainsKey("Label")));
        Assert.All(values, e => Assert.NotEqual(default, e.ETag));
    }

    [Fact]
    public async Task Filter_values_cannot_inject_query_syntax()
    {
        var table = await NewTableAsync();
        await table.AddEntityAsync(new TableEntity("victim", "secret"), Ct);
        Assert.Empty(await QueryAsync(table, "x' or PartitionKey ne 'x"));
    }

    [Fact]
    public async Task Transaction_commits_every_kind_of_operation_together_and_answers_each_ETag()
    {
        var table = await NewTableAsync();
        await table.AddEntityAsync(new TableEntity("tx", "update") { ["V"] = 1, ["Kept"] = "yes" }, Ct);
        await table.AddEntityAsync(new TableEntity("tx", "replace") { ["V"] = 1, ["Dropped"] = "yes" }, Ct);
        await table.AddEntityAsync(new TableEntity("tx", "delete"), Ct);
        var update = (await table.GetEntityAsync<TableEntity>("tx", "update", cancellationToken: Ct)).Value;

        var result = await table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("tx", "add") { ["V"] = 1 }),
            new(TableTransactionActionType.UpdateMerge, new TableEntity("tx", "update") { ["V"] = 2 }, update.ETag),
            new(TableTransactionActionType.UpdateReplace, new TableEntity("tx", "replace") { ["V"] = 2 }, ETag.All),
            new(TableTransactionActionType.Delete, new TableEntity("tx", "delete")),
            new(TableTransactionActionType.UpsertMerge, new TableEntity("tx", "upsert-merge") { ["V"] = 3 }),
            new(TableTransactionActionType.UpsertReplace, new TableEntity("tx", "upsert-replace") { ["V"] = 4 }),
        ], Ct);

        Assert.Equal(6, result.Value.Count);
        Assert.All(result.Value, r => Assert.Equal(204, r.Status));
        var rows = await QueryAsync(table, "tx");
        Assert.Equal(["add", "replace", "update", "upsert-merge", "upsert-replace"], rows.Select(r => r.RowKey));
        var updated = rows.Single(r => r.RowKey == "update");
        Assert.Equal((2, "yes"), (updated.GetInt32("V"), updated.GetString("Kept")));
        Assert.False(rows.Single(r => r.RowKey == "replace").ContainsKey("Dropped"));
        // The membership store moves its lock row by the ETag a transaction answers.
        Assert.Equal(result.Value[1].Headers.ETag, updated.ETag);
    }

    [Fact]
    public async Task Entities_without_properties_can_be_written_in_a_transaction()
    {
        var table = await NewTableAsync();
        await table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("tx", "added")),
            new(TableTransactionActionType.UpsertReplace, new TableEntity("tx", "marker")),
            new(TableTransactionActionType.UpsertMerge, new TableEntity("tx", "merged")),
        ], Ct);
        Assert.Equal(["added", "marker", "merged"], (await QueryAsync(table, "tx")).Select(r => r.RowKey));
    }

    [Fact]
    public async Task Failed_transaction_names_the_operation_and_writes_nothing()
    {
        var table = await NewTableAsync();
        await table.AddEntityAsync(new TableEntity("tx", "taken"), Ct);

        var e = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("tx", "a")),
            new(TableTransactionActionType.Add, new TableEntity("tx", "b")),
            new(TableTransactionActionType.Add, new TableEntity("tx", "taken")),
            new(TableTransactionActionType.Add, new TableEntity("tx", "c")),
        ], Ct));

        Assert.Equal(2, e.FailedTransactionActionIndex);
        Assert.Equal(409, e.Status);
        Assert.Equal(TableErrorCode.EntityAlreadyExists, e.ErrorCode);
        Assert.Equal(["taken"], (await QueryAsync(table, "tx")).Select(r => r.RowKey));
    }

    [Fact]
    public async Task Failed_transaction_with_a_stale_ETag_is_a_412_at_its_index()
    {
        var table = await NewTableAsync();
        await table.AddEntityAsync(new TableEntity("tx", "row"), Ct);
        var stale = (await table.GetEntityAsync<TableEntity>("tx", "row", cancellationToken: Ct)).Value.ETag;
        await table.UpsertEntityAsync(new TableEntity("tx", "row") { ["V"] = 1 }, cancellationToken: Ct);

        var e = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("tx", "fresh")),
            new(TableTransactionActionType.UpdateReplace, new TableEntity("tx", "row") { ["V"] = 2 }, stale),
        ], Ct));

        Assert.Equal(412, e.Status);
        Assert.Equal(1, e.FailedTransactionActionIndex);
        Assert.False((await table.GetEntityIfExistsAsync<TableEntity>("tx", "fresh", cancellationToken: Ct)).HasValue);
    }

    [Fact]
    public async Task In_a_transaction_an_update_needs_an_ETag_to_be_conditional_and_a_delete_does_not()
    {
        // What the stores must know of the client: an update without an ETag is sent without
        // If-Match, which the service reads as an upsert; so they always name one (ETag.All for any).
        var table = await NewTableAsync();
        await table.SubmitTransactionAsync([new(TableTransactionActionType.UpdateReplace, new TableEntity("tx", "unconditional"))], Ct);
        Assert.True((await table.GetEntityIfExistsAsync<TableEntity>("tx", "unconditional", cancellationToken: Ct)).HasValue);

        var e = await Assert.ThrowsAsync<TableTransactionFailedException>(() =>
            table.SubmitTransactionAsync([new(TableTransactionActionType.UpdateReplace, new TableEntity("tx", "gone"), ETag.All)], Ct));
        Assert.Equal(404, e.Status);
        Assert.False((await table.GetEntityIfExistsAsync<TableEntity>("tx", "gone", cancellationToken: Ct)).HasValue);

        // A delete without an ETag is a delete of whatever is there (If-Match: *), and of nothing a 404.
        await table.SubmitTransactionAsync([new(TableTransactionActionType.Delete, new TableEntity("tx", "unconditional"))], Ct);
        var missing = await Assert.ThrowsAsync<TableTransactionFailedException>(() =>
            table.SubmitTransactionAsync([new(TableTransactionActionType.Delete, new TableEntity("tx", "unconditional"))], Ct));
        Assert.Equal(404, missing.Status);
    }

    [Fact]
    public async Task Create_if_not_exists_is_idempotent()
    {
        var table = storage.CreateTableServiceClient().GetTableClient(storage.UniqueName("t"));
        await table.CreateIfNotExistsAsync(Ct);
        await table.AddEntityAsync(new TableEntity("p", "kept"), Ct);
        await table.CreateIfNotExistsAsync(Ct);
        Assert.True((await table.GetEntityIfExistsAsync<TableEntity>("p", "kept", cancellationToken: Ct)).HasValue);
    }

    [Fact]
    public async Task Operations_on_a_missing_table_say_so()
    {
        var table = storage.CreateTableServiceClient().GetTableClient(storage.UniqueName("missing"));
        var e = await Assert.ThrowsAsync<RequestFailedException>(() => table.AddEntityAsync(new TableEntity("p", "r"), Ct));
        Assert.Equal(404, e.Status);
        Assert.Equal(TableErrorCode.TableNotFound, e.ErrorCode);
    }
}
