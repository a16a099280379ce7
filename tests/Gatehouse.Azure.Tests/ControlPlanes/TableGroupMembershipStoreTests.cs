using Gatehouse.Azure.ControlPlanes;
using Gatehouse.Azure.Storage;
using Gatehouse.Testing;

namespace Gatehouse.Azure.Tests.ControlPlanes;

/// <summary>
/// Memberships are read whole and changed conditionally on that read, so the rules that span
/// groups (enforced above the store) hold under concurrency: a change made from a stale read, or
/// one that does not fit what is stored, writes nothing.
/// </summary>
public sealed class TableGroupMembershipStoreTests(StorageFixture storage)
{
    private async Task<TableGroupMembershipStore> NewStoreAsync()
    {
        var layout = new StorageLayout(storage.UniqueName("g"));
        var tables = storage.CreateTableServiceClient();
        await tables.GetTableClient(layout.ControlPlanesTable).CreateIfNotExistsAsync(TestContext.Current.CancellationToken);
        return new TableGroupMembershipStore(tables, layout);
    }

    private static List<(Guid Group, Guid Member)> Pairs(Guid group, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => (group, Guid.NewGuid()))];

    [Fact]
    public async Task Nothing_stored_reads_as_no_memberships_at_sequence_zero()
    {
        var store = await NewStoreAsync();

        var read = await store.ReadAsync(TestContext.Current.CancellationToken);

        Assert.Empty(read.Pairs);
        Assert.Equal(0, read.Sequence);
        Assert.Null(read.Version);
    }

    [Fact]
    public async Task Added_and_removed_members_are_listed_by_group_and_by_member()
    {
        var store = await NewStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var (red, blue) = (Guid.NewGuid(), Guid.NewGuid());
        var (a, b, c) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());

        Assert.True(await store.TryChangeAsync(await store.ReadAsync(ct), [(red, a), (red, b), (blue, a)], [], ct));
        var added = await store.ReadAsync(ct);
        Assert.Equal(new[] { a, b }.Order(), added.MembersOf(red));
        Assert.Equal(new[] { red, blue }.Order(), added.GroupsOf(a));
        Assert.Equal(1, added.Sequence);

        Assert.True(await store.TryChangeAsync(added, [(blue, c)], [(red, a)], ct));
        var changed = await store.ReadAsync(ct);
        Assert.Equal([b], changed.MembersOf(red));
        Assert.Equal(new[] { a, c }.Order(), changed.MembersOf(blue));
        Assert.Equal(3, changed.Pairs.Count);
        Assert.True(changed.Sequence > added.Sequence);
        Assert.NotEqual(added.Version, changed.Version);
    }

    [Fact]
    public async Task An_instance_that_kept_its_listing_sees_a_change_another_instance_made()
    {
        var layout = new StorageLayout(storage.UniqueName("g"));
        var ct = TestContext.Current.CancellationToken;
        await storage.CreateTableServiceClient().GetTableClient(layout.ControlPlanesTable).CreateIfNotExistsAsync(ct);
        var (one, other) = (new TableGroupMembershipStore(storage.CreateTableServiceClient(), layout), new TableGroupMembershipStore(storage.CreateTableServiceClient(), layout));
        var group = Guid.NewGuid();
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        Assert.True(await one.TryChangeAsync(await one.ReadAsync(ct), [(group, a)], [], ct));
        var kept = await one.ReadAsync(ct);
        Assert.Same(kept, await one.ReadAsync(ct));

        Assert.True(await other.TryChangeAsync(await other.ReadAsync(ct), [(group, b)], [(group, a)], ct));

        var seen = await one.ReadAsync(ct);
        Assert.Equal([b], seen.MembersOf(group));
        Assert.Equal(kept.Sequence + 1, seen.Sequence);
    }

    [Fact]
    public async Task A_change_from_a_read_someone_else_has_changed_since_writes_nothing()
    {
        var store = await NewStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var group = Guid.NewGuid();
        await store.TryChangeAsync(await store.ReadAsync(ct), Pairs(group, 1), [], ct);
        var readByBoth = await store.ReadAsync(ct);
        var first = Pairs(group, 2);
        var second = Pairs(group, 2);

        Assert.True(await store.TryChangeAsync(readByBoth, first, [], ct));
        Assert.False(await store.TryChangeAsync(readByBoth, second, [], ct));

        var read = await store.ReadAsync(ct);
        Assert.Equal(3, read.MembersOf(group).Count);
        Assert.DoesNotContain(read.Pairs, second.Contains);
        Assert.Equal(readByBoth.Sequence + 1, read.Sequence);
    }

    [Fact]
    public async Task Of_two_first_changes_only_one_is_written()
    {
        var store = await NewStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var nothing = await store.ReadAsync(ct);
        var (first, second) = (Pairs(Guid.NewGuid(), 1), Pairs(Guid.NewGuid(), 1));

        Assert.True(await store.TryChangeAsync(nothing, first, [], ct));
        Assert.False(await store.TryChangeAsync(nothing, second, [], ct));

        Assert.Equal(first, (await store.ReadAsync(ct)).Pairs);
    }

    [Fact]
    public async Task Adding_a_pair_already_there_or_removing_one_that_is_not_writes_nothing_of_the_change()
    {
        var store = await NewStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var group = Guid.NewGuid();
        var existing = Pairs(group, 1);
        await store.TryChangeAsync(await store.ReadAsync(ct), existing, [], ct);
        var before = await store.ReadAsync(ct);

        Assert.False(await store.TryChangeAsync(before, [.. Pairs(group, 3), .. existing], [], ct));
        Assert.False(await store.TryChangeAsync(before, Pairs(group, 3), Pairs(group, 1), ct));

        var after = await store.ReadAsync(ct);
        Assert.Equal(existing, after.Pairs);
        Assert.Equal(before.Sequence, after.Sequence);
        Assert.Equal(before.Version, after.Version);
    }

    /// <summary>
    /// More pairs than one transaction holds (99 plus the lock row), and more than the Table
    /// service returns in one query page (1,000): all of them are written and read back.
    /// </summary>
    [Fact]
    public async Task A_change_larger_than_a_transaction_and_a_query_page_is_written_and_read_whole()
    {
        var store = await NewStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var group = Guid.NewGuid();
        var many = Pairs(group, 1_050);
        var before = await store.ReadAsync(ct);

        Assert.True(await store.TryChangeAsync(before, many, [], ct));

        var added = await store.ReadAsync(ct);
        Assert.Equal(many.Select(p => p.Member).Order(), added.MembersOf(group));
        Assert.True(added.Sequence > before.Sequence);
        Assert.False(await store.TryChangeAsync(before, Pairs(group, 1), [], ct));

        Assert.True(await store.TryChangeAsync(added, [], many, ct));
        Assert.Empty((await store.ReadAsync(ct)).Pairs);
    }

    /// <summary>
    /// Writers adding one pair each, retrying on a stale read: every pair lands, and the sequence
    /// counts every change, which it would not if two changes had both been applied from one read.
    /// </summary>
    [Fact]
    public async Task Concurrent_changes_serialize_and_none_is_lost()
    {
        var store = await NewStoreAsync();
        var ct = TestContext.Current.CancellationToken;
        var group = Guid.NewGuid();
        await store.TryChangeAsync(await store.ReadAsync(ct), Pairs(group, 1), [], ct);
        const int Writers = 10;
        var pairs = Pairs(group, Writers);

        async Task AddAsync((Guid, Guid) pair)
        {
            for (var attempt = 0; attempt < 200; attempt++)
            {
                if (await store.TryChangeAsync(await store.ReadAsync(ct), [pair], [], ct))
                {
                    return;
                }
            }
            Assert.Fail("A membership change lost 200 races in a row.");
        }

        await Task.WhenAll(pairs.Select(p => Task.Run(() => AddAsync(p), ct)));

        var read = await store.ReadAsync(ct);
        Assert.Equal(Writers + 1, read.MembersOf(group).Count);
        Assert.Equal(Writers + 1, read.Sequence);
    }
}
