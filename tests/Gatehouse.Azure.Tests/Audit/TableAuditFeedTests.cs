using Gatehouse.Azure.Audit;
using Gatehouse.Azure.Storage;
using Gatehouse.Core.Audit;
using Gatehouse.Testing;

namespace Gatehouse.Azure.Tests.Audit;

/// <summary>The delivery feed against Azurite: entries after a cursor, oldest first, across days, held back by the outbox.</summary>
public sealed class TableAuditFeedTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset s_now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private TableAuditLog NewLog() => new(storage.CreateAccount().Tables, new StorageLayout(storage.UniqueName("f")));

    private static AuditEntry Entry(DateTimeOffset time, Guid? controlPlane = null) =>
        new(Guid.NewGuid(), time, new AuditPrincipal("organization_admin", null, "the organization admin"), "control-planes.create", controlPlane,
            "POST", "/v2/control-planes", 201, "0HN:1", "abc", "127.0.0.1", "tests/1");

    [Fact]
    public async Task Entries_over_several_days_read_oldest_first_after_the_cursor_and_before_the_bound()
    {
        var log = NewLog();
        // Two entries share a time: the id orders them, as the cursor does.
        var written = Enumerable.Range(0, 20).Select(i => Entry(s_now.AddHours(-5 * i), i % 3 == 0 ? Guid.NewGuid() : null)).ToList();
        written.Add(written[4] with { Id = Guid.NewGuid(), ControlPlaneId = null });
        foreach (var entry in written.OrderBy(_ => Random.Shared.Next()))
        {
            await log.RecordAsync(entry, Ct);
        }
        var ordered = written.OrderBy(e => e.Time).ThenBy(e => e.Id.ToString("N"), StringComparer.Ordinal).ToList();

        // Paging through with the last entry as the cursor gives every entry once, in order, whatever day it is on.
        var read = new List<AuditEntry>();
        var cursor = new AuditCursor(s_now.AddDays(-30), Guid.Empty);
        while (await log.ListOldestFirstAsync(cursor, s_now.AddSeconds(1), 3, Ct) is { Count: > 0 } page)
        {
            Assert.True(page.Count <= 3);
            read.AddRange(page);
            cursor = new AuditCursor(page[^1].Time, page[^1].Id);
        }
        Assert.Equal(ordered.Select(e => e.Id), read.Select(e => e.Id));

        // The bound excludes entries at or after it.
        var before = await log.ListOldestFirstAsync(new AuditCursor(s_now.AddDays(-30), Guid.Empty), s_now.AddHours(-50), 100, Ct);
        Assert.Equal(ordered.Where(e => e.Time < s_now.AddHours(-50)).Select(e => e.Id), before.Select(e => e.Id));
    }

    [Fact]
    public async Task The_oldest_begun_change_is_known_until_it_is_recorded_or_resolved()
    {
        var log = NewLog();
        Assert.Null(await log.OldestBegunAsync(Ct));
        var older = Entry(s_now.AddMinutes(-3)) with { Status = null };
        var newer = Entry(s_now.AddMinutes(-1)) with { Status = null };
        await log.BeginAsync(newer, Ct);
        await log.BeginAsync(older, Ct);
        Assert.Equal(older.Time, await log.OldestBegunAsync(Ct));

        await log.RecordAsync(older.Answered(201), Ct);
        await log.ForgetBegunAsync(older, Ct);
        Assert.Equal(newer.Time, await log.OldestBegunAsync(Ct));
        await log.ResolveAsync(newer, Ct);
        Assert.Null(await log.OldestBegunAsync(Ct));

        // Both are in the feed now, the interrupted one too.
        var feed = await log.ListOldestFirstAsync(new AuditCursor(s_now.AddDays(-1), Guid.Empty), s_now, 10, Ct);
        Assert.Equal([older.Id, newer.Id], feed.Select(e => e.Id));
        Assert.True(feed[1].Interrupted);
    }
}
