using Azure;
using Gatehouse.Azure.Tables;
using Gatehouse.Testing;

namespace Gatehouse.Azure.Tests;

public sealed class TableClientTests(StorageFixture storage)
{
    private async Task<TableClient> NewTableAsync()
    {
        var table = storage.CreateTableServiceClient().GetTableClient(storage.UniqueName("t"));
        Assert.True((await table.CreateIfNotExistsAsync(TestContext.Current.CancellationToken)).Value);
        return table;
    }

    [Fact]
    public async Task Insert_then_get_round_trips_every_property_type()
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
            ["NotANumber"] = double.NaN,
            ["Created"] = when,
            ["Id"] = id,
            ["Blob"] = new byte[] { 0, 1, 2, 255 },
            ["Unicode"] = "é✓🚀 'quoted' \"double\"",
        };

        var added = await table.AddEntityAsync(entity, TestContext.Current.CancellationToken);
        Assert.NotNull(added.Headers.ETag);

        var read = (await table.GetEntityAsync("cp1", "service:abc", cancellationToken: TestContext.Current.CancellationToken)).Value;
        Assert.Equal("orders", read.GetString("Name"));
        Assert.True(read.GetBoolean("Enabled"));
        Assert.Equal(8080, read.GetInt32("Port"));
        Assert.Equal(long.MaxValue, read.GetInt64("Revision"));
        Assert.Equal(0.25, read.GetDouble("Weight"));
        Assert.IsType<double>(read["WholeDouble"]);
        Assert.True(double.IsNaN(read.GetDouble("NotANumber")!.Value));
        Assert.Equal(when, read.GetDateTimeOffset("Created"));
        Assert.Equal(id, read.GetGuid("Id"));
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, read.GetBinaryData("Blob")!.ToArray());
        Assert.Equal("é✓🚀 'quoted' \"double\"", read.GetString("Unicode"));
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
        var ct = TestContext.Current.CancellationToken;
        if (key == "a-key-of-exactly-the-limit")
        {
            key = new string('k', TableLimits.MaxKeyLength);
        }
        await table.AddEntityAsync(new TableEntity(key, key) { ["V"] = 1 }, ct);
        var read = await table.GetEntityAsync(key, key, cancellationToken: ct);
        Assert.Equal(key, read.Value.PartitionKey);
        Assert.Equal(key, read.Value.RowKey);

        await table.UpdateEntityAsync(new TableEntity(key, key) { ["V"] = 2 }, read.Value.ETag, TableUpdateMode.Replace, ct);
        var filtered = await table.QueryAsync(TableFilter.Create($"PartitionKey eq {key}"), cancellationToken: ct).ToListAsync(ct);
        Assert.Equal(2, Assert.Single(filtered).GetInt32("V"));

        await table.DeleteEntityAsync(key, key, cancellationToken: ct);
        Assert.False((await table.GetEntityIfExistsAsync(key, key, cancellationToken: ct)).HasValue);
    }

    [Fact]
    public async Task Insert_of_an_existing_entity_is_a_409_EntityAlreadyExists()
    {
        var table = await NewTableAsync();
        var ct = TestContext.Current.CancellationToken;
        await table.AddEntityAsync(new TableEntity("p", "r"), ct);
        var e = await Assert.ThrowsAsync<RequestFailedException>(() => table.AddEntityAsync(new TableEntity("p", "r"), ct));
        Assert.Equal(409, e.Status);
        Assert.Equal(TableErrorCode.EntityAlreadyExists, e.ErrorCode);
    }

    [Fact]
    public async Task Update_with_a_stale_ETag_is_a_412_and_changes_nothing()
    {
        var table = await NewTableAsync();
        var ct = TestContext.Current.CancellationToken;
        await table.AddEntityAsync(new TableEntity("p", "r") { ["Value"] = "first" }, ct);
        var original = (await table.GetEntityAsync("p", "r", cancellationToken: ct)).Value;

        await table.UpdateEntityAsync(new TableEntity("p", "r") { ["Value"] = "second" }, original.ETag, TableUpdateMode.Replace, ct);

        var e = await Assert.ThrowsAsync<RequestFailedException>(() =>
            table.UpdateEntityAsync(new TableEntity("p", "r") { ["Value"] = "lost update" }, original.ETag, TableUpdateMode.Replace, ct));
        Assert.Equal(412, e.Status);
        Assert.Equal(TableErrorCode.UpdateConditionNotSatisfied, e.ErrorCode);

        var stale = await Assert.ThrowsAsync<RequestFailedException>(() => table.DeleteEntityAsync("p", "r", original.ETag, ct));
        Assert.Equal(412, stale.Status);

        Assert.Equal("second", (await table.GetEntityAsync("p", "r", cancellationToken: ct)).Value.GetString("Value"));
    }

    [Fact]
    public async Task Update_of_a_missing_entity_is_a_404()
    {
        var table = await NewTableAsync();
        var e = await Assert.ThrowsAsync<RequestFailedException>(() =>
            table.UpdateEntityAsync(new TableEntity("p", "missing"), ETag.All, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(404, e.Status);
        Assert.Equal(TableErrorCode.ResourceNotFound, e.ErrorCode);
    }

    [Fact]
    public async Task Merge_keeps_unnamed_properties_and_replace_drops_them()
    {
        var table = await NewTableAsync();
        var ct = TestContext.Current.CancellationToken;
        await table.UpsertEntityAsync(new TableEntity("p", "merge") { ["A"] = 1, ["B"] = 2 }, TableUpdateMode.Replace, ct);
        await table.UpsertEntityAsync(new TableEntity("p", "merge") { ["B"] = 20, ["C"] = 30 }, TableUpdateMode.Merge, ct);
        var merged = (await table.GetEntityAsync("p", "merge", cancellationToken: ct)).Value;
        Assert.Equal((1, 20, 30), (merged.GetInt32("A"), merged.GetInt32("B"), merged.GetInt32("C")));

        await table.UpsertEntityAsync(new TableEntity("p", "merge") { ["C"] = 300 }, TableUpdateMode.Replace, ct);
        var replaced = (await table.GetEntityAsync("p", "merge", cancellationToken: ct)).Value;
        Assert.Equal(["C"], replaced.Keys);
        Assert.Equal(300, replaced.GetInt32("C"));
    }

    [Fact]
    public async Task Upsert_creates_when_missing()
    {
        var table = await NewTableAsync();
        var ct = TestContext.Current.CancellationToken;
        await table.UpsertEntityAsync(new TableEntity("p", "new") { ["X"] = "y" }, cancellationToken: ct);
        Assert.Equal("y", (await table.GetEntityAsync("p", "new", cancellationToken: ct)).Value.GetString("X"));
    }

    [Fact]
    public async Task Get_of_a_missing_entity_is_a_404_or_no_value()
    {
        var table = await NewTableAsync();
        var ct = TestContext.Current.CancellationToken;
        var e = await Assert.ThrowsAsync<RequestFailedException>(() => table.GetEntityAsync("p", "none", cancellationToken: ct));
        Assert.Equal(404, e.Status);
        var maybe = await table.GetEntityIfExistsAsync("p", "none", cancellationToken: ct);
        Assert.False(maybe.HasValue);
        Assert.Throws<InvalidOperationException>(() => maybe.Value);
    }

    [Fact]
    public async Task Delete_of_a_missing_entity_is_not_an_error()
    {
        var table = await NewTableAsync();
        var response = await table.DeleteEntityAsync("p", "never", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(404, response.Status);
    }

    [Fact]
    public async Task Get_with_select_returns_only_the_named_properties()
    {
        var table = await NewTableAsync();
        var ct = TestContext.Current.CancellationToken;
        await table.AddEntityAsync(new TableEntity("p", "r") { ["Keep"] = "k", ["Drop"] = "d" }, ct);
        var read = (await table.GetEntityAsync("p", "r", ["Keep"], ct)).Value;
        Assert.Equal("k", read.GetString("Keep"));
        Assert.False(read.ContainsKey("Drop"));
    }

    [Fact]
    public async Task Query_follows_continuation_across_more_than_1000_entities()
    {
        var table = await NewTableAsync();
        var ct = TestContext.Current.CancellationToken;
        const int count = 2345;
        for (var batch = 0; batch < count; batch += 100)
        {
            var actions = Enumerable.Range(batch, Math.Min(100, count - batch))
                .Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("bulk", $"{i:D5}") { ["N"] = i }));
            await table.SubmitTransactionAsync(actions, ct);
        }
        await table.AddEntityAsync(new TableEntity("other", "00001") { ["N"] = -1 }, ct);

        var pages = new List<int>();
        var seen = new List<int>();
        await foreach (var page in table.QueryAsync(TableFilter.Create($"PartitionKey eq {"bulk"}"), cancellationToken: ct).AsPages())
        {
            pages.Add(page.Values.Count);
            seen.AddRange(page.Values.Select(e => e.GetInt32("N")!.Value));
        }

        Assert.True(pages.Count >= 3, $"expected at least 3 pages of at most 1,000, got [{string.Join(", ", pages)}]");
        Assert.All(pages, size => Assert.InRange(size, 0, 1000));
        Assert.Equal(Enumerable.Range(0, count), seen);
    }

    [Fact]
    public async Task Query_with_top_select_and_filter()
    {
        var table = await NewTableAsync();
        var ct = TestContext.Current.CancellationToken;
        for (var i = 0; i < 30; i++)
        {
            await table.AddEntityAsync(new TableEntity("q", $"{i:D2}") { ["N"] = i, ["Even"] = i % 2 == 0, ["Label"] = $"item{i}" }, ct);
        }

        var pages = await table.QueryAsync(TableFilter.Create($"PartitionKey eq {"q"} and Even eq {true} and N ge {10}"), maxPerPage: 4, select: ["N"], cancellationToken: ct)
            .AsPages().ToListAsync(ct);
        var values = pages.SelectMany(p => p.Values).ToList();

        Assert.Equal([10, 12, 14, 16, 18, 20, 22, 24, 26, 28], values.Select(e => e.GetInt32("N")!.Value));
        Assert.All(pages, p => Assert.True(p.Values.Count <= 4));
        Assert.All(values, e => Assert.False(e.ContainsKey("Label")));
        Assert.All(values, e => Assert.NotEqual(default, e.ETag));
    }

    [Fact]
    public async Task Filter_values_cannot_inject_query_syntax()
    {
        var table = await NewTableAsync();
        var ct = TestContext.Current.CancellationToken;
        await table.AddEntityAsync(new TableEntity("victim", "secret"), ct);
        var hostile = "x' or PartitionKey ne 'x";
        var found = await table.QueryAsync(TableFilter.Create($"PartitionKey eq {hostile}"), cancellationToken: ct).ToListAsync(ct);
        Assert.Empty(found);
    }

    [Fact]
    public async Task Transaction_commits_every_kind_of_operation_together()
    {
        var table = await NewTableAsync();
        var ct = TestContext.Current.CancellationToken;
        await table.AddEntityAsync(new TableEntity("tx", "update") { ["V"] = 1, ["Kept"] = "yes" }, ct);
        await table.AddEntityAsync(new TableEntity("tx", "replace") { ["V"] = 1, ["Dropped"] = "yes" }, ct);
        await table.AddEntityAsync(new TableEntity("tx", "delete"), ct);
        var update = (await table.GetEntityAsync("tx", "update", cancellationToken: ct)).Value;

        var result = await table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("tx", "add") { ["V"] = 1 }),
            new(TableTransactionActionType.UpdateMerge, new TableEntity("tx", "update") { ["V"] = 2 }, update.ETag),
            new(TableTransactionActionType.UpdateReplace, new TableEntity("tx", "replace") { ["V"] = 2 }),
            new(TableTransactionActionType.Delete, new TableEntity("tx", "delete")),
            new(TableTransactionActionType.UpsertMerge, new TableEntity("tx", "upsert-merge") { ["V"] = 3 }),
            new(TableTransactionActionType.UpsertReplace, new TableEntity("tx", "upsert-replace") { ["V"] = 4 }),
        ], ct);

        Assert.Equal(6, result.Value.Count);
        Assert.All(result.Value, r => Assert.Equal(204, r.Status));
        var rows = await table.QueryAsync(TableFilter.Create($"PartitionKey eq {"tx"}"), cancellationToken: ct).ToListAsync(ct);
        Assert.Equal(["add", "replace", "update", "upsert-merge", "upsert-replace"], rows.Select(r => r.RowKey));
        var updated = rows.Single(r => r.RowKey == "update");
        Assert.Equal((2, "yes"), (updated.GetInt32("V"), updated.GetString("Kept")));
        Assert.False(rows.Single(r => r.RowKey == "replace").ContainsKey("Dropped"));
        Assert.Equal(result.Value[1].ETag, updated.ETag);
    }

    [Fact]
    public async Task Entities_without_properties_can_be_written_in_a_transaction()
    {
        var table = await NewTableAsync();
        var ct = TestContext.Current.CancellationToken;
        await table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("tx", "added")),
            new(TableTransactionActionType.UpsertReplace, new TableEntity("tx", "marker")),
            new(TableTransactionActionType.UpsertMerge, new TableEntity("tx", "merged")),
        ], ct);
        var rows = await table.QueryAsync(TableFilter.Create($"PartitionKey eq {"tx"}"), cancellationToken: ct).ToListAsync(ct);
        Assert.Equal(["added", "marker", "merged"], rows.Select(r => r.RowKey));
    }

    [Fact]
    public async Task Failed_transaction_names_the_operation_and_writes_nothing()
    {
        var table = await NewTableAsync();
        var ct = TestContext.Current.CancellationToken;
        await table.AddEntityAsync(new TableEntity("tx", "taken"), ct);

        var e = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("tx", "a")),
            new(TableTransactionActionType.Add, new TableEntity("tx", "b")),
            new(TableTransactionActionType.Add, new TableEntity("tx", "taken")),
            new(TableTransactionActionType.Add, new TableEntity("tx", "c")),
        ], ct));

        Assert.Equal(2, e.FailedTransactionActionIndex);
        Assert.Equal(409, e.Status);
        Assert.Equal(TableErrorCode.EntityAlreadyExists, e.ErrorCode);
        var rows = await table.QueryAsync(TableFilter.Create($"PartitionKey eq {"tx"}"), cancellationToken: ct).ToListAsync(ct);
        Assert.Equal(["taken"], rows.Select(r => r.RowKey));
    }

    [Fact]
    public async Task Failed_transaction_with_a_stale_ETag_is_a_412_at_its_index()
    {
        var table = await NewTableAsync();
        var ct = TestContext.Current.CancellationToken;
        await table.AddEntityAsync(new TableEntity("tx", "row"), ct);
        var stale = (await table.GetEntityAsync("tx", "row", cancellationToken: ct)).Value.ETag;
        await table.UpsertEntityAsync(new TableEntity("tx", "row") { ["V"] = 1 }, cancellationToken: ct);

        var e = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("tx", "fresh")),
            new(TableTransactionActionType.UpdateReplace, new TableEntity("tx", "row") { ["V"] = 2 }, stale),
        ], ct));

        Assert.Equal(412, e.Status);
        Assert.Equal(1, e.FailedTransactionActionIndex);
        Assert.False((await table.GetEntityIfExistsAsync("tx", "fresh", cancellationToken: ct)).HasValue);
    }

    [Fact]
    public async Task Create_if_not_exists_is_idempotent_and_delete_removes_the_table()
    {
        var service = storage.CreateTableServiceClient();
        var table = service.GetTableClient(storage.UniqueName("t"));
        var ct = TestContext.Current.CancellationToken;
        Assert.True((await table.CreateIfNotExistsAsync(ct)).Value);
        Assert.False((await table.CreateIfNotExistsAsync(ct)).Value);
        Assert.Contains(table.Name, await service.QueryTablesAsync(cancellationToken: ct).ToListAsync(ct));

        await table.DeleteAsync(ct);
        Assert.DoesNotContain(table.Name, await service.QueryTablesAsync(cancellationToken: ct).ToListAsync(ct));
    }

    [Fact]
    public async Task Operations_on_a_missing_table_say_so()
    {
        var table = storage.CreateTableServiceClient().GetTableClient(storage.UniqueName("missing"));
        var e = await Assert.ThrowsAsync<RequestFailedException>(() =>
            table.AddEntityAsync(new TableEntity("p", "r"), TestContext.Current.CancellationToken));
        Assert.Equal(404, e.Status);
        Assert.Equal(TableErrorCode.TableNotFound, e.ErrorCode);
    }
}
