using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Gatehouse.Azure.Entities;
using Gatehouse.Azure.Storage;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;
using Gatehouse.Testing;

namespace Gatehouse.Azure.Tests.Entities;

/// <summary>
/// The entity store's contract where Table storage's limits show through: bodies longer than one
/// string property holds, and unique values that cannot be row keys as they are.
/// </summary>
public sealed class TableEntityStoreTests(StorageFixture storage)
{
    private static readonly EntitySchema s_consumers = Consumers.Schema;

    private async Task<(TableEntityStore Store, TableClient Table)> NewStoreAsync()
    {
        var layout = new StorageLayout(storage.UniqueName("e"));
        var tables = storage.CreateTableServiceClient();
        var table = tables.GetTableClient(layout.EntitiesTable);
        await table.CreateIfNotExistsAsync(TestContext.Current.CancellationToken);
        return (new TableEntityStore(tables, layout), table);
    }

    private static JsonObject Consumer(string username, string? customId = null)
    {
        var consumer = new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["username"] = username };
        if (customId is not null)
        {
            consumer["custom_id"] = customId;
        }
        return consumer;
    }

    /// <summary>A consumer whose stored JSON is exactly <paramref name="length"/> characters.</summary>
    private static JsonObject ConsumerOfLength(int length)
    {
        var consumer = Consumer("big", customId: "");
        var padding = length - consumer.ToJsonString().Length;
        consumer["custom_id"] = new string('x', padding);
        Assert.Equal(length, consumer.ToJsonString().Length);
        return consumer;
    }

    private static async Task<CommitResult> PutAsync(TableEntityStore store, Guid cp, JsonObject entity, JsonObject? previous = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var revision = await store.GetRevisionAsync(cp, ct);
        return await store.CommitAsync(cp, revision, [new EntityChange.Put(s_consumers, entity, previous)], ct);
    }

    /// <summary>Two consumers named <paramref name="a"/> and <paramref name="b"/> both commit, and each is found by its own name.</summary>
    private static async Task AssertIndexedApartAsync(TableEntityStore store, Guid cp, string a, string b)
    {
        var ct = TestContext.Current.CancellationToken;
        var (first, second) = (Consumer(a), Consumer(b));

        Assert.Equal(CommitOutcome.Committed, (await PutAsync(store, cp, first)).Outcome);
        Assert.Equal(CommitOutcome.Committed, (await PutAsync(store, cp, second)).Outcome);

        Assert.Equal(EntityIndexes.IdOf(first), await store.FindUniqueAsync(cp, s_consumers, "username", a, ct));
        Assert.Equal(EntityIndexes.IdOf(second), await store.FindUniqueAsync(cp, s_consumers, "username", b, ct));
    }

    private static async Task<List<TableEntity>> PartitionRowsAsync(TableClient table, Guid cp)
    {
        var ct = TestContext.Current.CancellationToken;
        return await table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {cp.ToString()}"), cancellationToken: ct).ToListAsync(ct);
    }

    [Theory]
    [InlineData(32 * 1024 - 1)]
    [InlineData(32 * 1024)]
    [InlineData(32 * 1024 + 1)]
    [InlineData(30_000)]
    [InlineData(30_001)]
    [InlineData(60_000)]
    [InlineData(400_000)]
    [InlineData(500_000)]
    public async Task Bodies_around_and_past_one_string_propertys_limit_read_back_whole(int length)
    {
        var (store, _) = await NewStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var cp = Guid.NewGuid();
        var consumer = ConsumerOfLength(length);

        Assert.Equal(CommitOutcome.Committed, (await PutAsync(store, cp, consumer)).Outcome);

        var read = await store.GetAsync(cp, s_consumers, EntityIndexes.IdOf(consumer), ct);
        Assert.NotNull(read);
        Assert.Equal(consumer.ToJsonString(), read.ToJsonString());
        var all = await store.ReadAllAsync(cp, ct);
        Assert.Equal(consumer.ToJsonString(), Assert.Single(all.Entities["consumers"]).ToJsonString());
        var page = await store.ListAsync(cp, s_consumers, null, 10, _ => true, ct);
        Assert.Equal(consumer.ToJsonString(), Assert.Single(page.Items).ToJsonString());
    }

    [Theory]
    [InlineData(530_000)]
    [InlineData(2_000_000)]
    public async Task A_body_past_what_one_row_holds_is_refused_and_nothing_of_its_commit_is_written(int length)
    {
        var (store, table) = await NewStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var cp = Guid.NewGuid();
        Assert.Equal(CommitOutcome.Committed, (await PutAsync(store, cp, Consumer("first"))).Outcome);
        var before = await store.GetRevisionAsync(cp, ct);
        var huge = ConsumerOfLength(length);
        huge["username"] = "huge";

        var error = await Assert.ThrowsAsync<EntityRejectedException>(() => PutAsync(store, cp, huge));

        Assert.Equal(Rejection.Invalid, error.Kind);
        Assert.Contains("1,048,576", error.Message);
        Assert.Contains("consumers", error.Message);
        Assert.Contains(EntityIndexes.IdOf(huge), error.Message);
        Assert.Equal(before, await store.GetRevisionAsync(cp, ct));
        Assert.Null(await store.GetAsync(cp, s_consumers, EntityIndexes.IdOf(huge), ct));
        Assert.Null(await store.FindUniqueAsync(cp, s_consumers, "username", "huge", ct));
        // rev, the first consumer and its username, and the change log row of the one commit that landed.
        Assert.Equal(["c|0000000000000000001", "e", "rev", "u"], Kinds(await PartitionRowsAsync(table, cp)));
    }

    /// <summary>Each row of the partition by kind (entity, unique index, foreign key index), the revision and change log rows by key.</summary>
    private static List<string> Kinds(List<TableEntity> rows) =>
        [.. rows.Select(r => r.RowKey.StartsWith("c|", StringComparison.Ordinal) || r.RowKey == "rev" ? r.RowKey : r.RowKey.Split('|')[0]).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Long_values_that_share_a_prefix_index_apart_and_are_found_by_value()
    {
        var (store, _) = await NewStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var cp = Guid.NewGuid();
        var prefix = new string('n', 1000);

        await AssertIndexedApartAsync(store, cp, prefix + "1", prefix + "2");

        Assert.Null(await store.FindUniqueAsync(cp, s_consumers, "username", prefix + "3", ct));
        var taken = await PutAsync(store, cp, Consumer(prefix + "1"));
        Assert.Equal(new CommitResult(CommitOutcome.UniqueViolation, Field: "username"), taken);
    }

    [Theory]
    [InlineData("a/b", "a%2Fb")]
    [InlineData("a#b", "a%23b")]
    [InlineData("why?", "why%3F")]
    [InlineData("back\\slash", "back%5Cslash")]
    [InlineData("tab\there", "tab%09here")]
    [InlineData("100%", "100%25")]
    public async Task Values_with_characters_keys_cannot_hold_do_not_collide_with_their_escaped_spelling(string raw, string lookalike)
    {
        var (store, _) = await NewStoreAsync();

        await AssertIndexedApartAsync(store, Guid.NewGuid(), raw, lookalike);
    }

    [Fact]
    public async Task A_short_value_spelled_like_a_hashed_key_does_not_collide_with_the_long_value_hashed()
    {
        var (store, _) = await NewStoreAsync();
        var longValue = new string('l', 600);
        var mimic = "%h:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(longValue)));

        await AssertIndexedApartAsync(store, Guid.NewGuid(), longValue, mimic);
    }

    [Fact]
    public async Task A_value_short_enough_but_long_once_escaped_is_hashed_and_found()
    {
        var (store, _) = await NewStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var cp = Guid.NewGuid();
        // 300 characters, each escaped to three: 900, past what a row key holds.
        var slashes = new string('/', 300);
        var consumer = Consumer(slashes);

        Assert.Equal(CommitOutcome.Committed, (await PutAsync(store, cp, consumer)).Outcome);

        Assert.Equal(EntityIndexes.IdOf(consumer), await store.FindUniqueAsync(cp, s_consumers, "username", slashes, ct));
        Assert.Null(await store.FindUniqueAsync(cp, s_consumers, "username", slashes + "/", ct));
    }

    [Fact]
    public async Task Replacing_and_deleting_retire_hashed_index_rows()
    {
        var (store, table) = await NewStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var cp = Guid.NewGuid();
        var (oldName, newName) = (new string('o', 700), new string('p', 700));
        var consumer = Consumer(oldName, customId: new string('c', 500));
        Assert.Equal(CommitOutcome.Committed, (await PutAsync(store, cp, consumer)).Outcome);

        var renamed = consumer.DeepClone().AsObject();
        renamed["username"] = newName;
        Assert.Equal(CommitOutcome.Committed, (await PutAsync(store, cp, renamed, previous: consumer)).Outcome);

        Assert.Null(await store.FindUniqueAsync(cp, s_consumers, "username", oldName, ct));
        Assert.Equal(EntityIndexes.IdOf(consumer), await store.FindUniqueAsync(cp, s_consumers, "username", newName, ct));
        Assert.Equal(EntityIndexes.IdOf(consumer), await store.FindUniqueAsync(cp, s_consumers, "custom_id", new string('c', 500), ct));
        // The old name is free again for someone else.
        Assert.Equal(CommitOutcome.Committed, (await PutAsync(store, cp, Consumer(oldName))).Outcome);

        var revision = await store.GetRevisionAsync(cp, ct);
        Assert.Equal(CommitOutcome.Committed, (await store.CommitAsync(cp, revision, [new EntityChange.Delete(s_consumers, renamed)], ct)).Outcome);

        Assert.Null(await store.FindUniqueAsync(cp, s_consumers, "username", newName, ct));
        Assert.Null(await store.FindUniqueAsync(cp, s_consumers, "custom_id", new string('c', 500), ct));
        // rev, the other consumer and its username, and the change log rows of the four commits.
        Assert.Equal(["c|0000000000000000001", "c|0000000000000000002", "c|0000000000000000003", "c|0000000000000000004", "e", "rev", "u"],
            Kinds(await PartitionRowsAsync(table, cp)));
    }
}
