using Gatehouse.Azure.Audit;
using Gatehouse.Azure.Storage;
using Gatehouse.Core.Audit;
using Gatehouse.Testing;

namespace Gatehouse.Azure.Tests.Audit;

/// <summary>The delivery feed against Azurite: entries after a cursor, in the order they were listed, across days.</summary>
public sealed class TableAuditFeedTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset s_now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private readonly ManualClock _clock = new(s_now);

    private TableAuditLog NewLog() => new(storage.CreateAccount().Tables, new StorageLayout(storage.UniqueName("f")), _clock);

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
            // Each listed at the time its request arrived: the feed's order is the listing's.
            _clock.Now = entry.Time;
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
            Assert.All(page, e => Assert.Equal(e.Time, e.Listed));
            cursor = new AuditCursor(page[^1].Listed!.Value, page[^1].Id);
        }
        Assert.Equal(ordered.Select(e => e.Id), read.Select(e => e.Id));

        // The bound excludes entries at or after it.
        var before = await log.ListOldestFirstAsync(new AuditCursor(s_now.AddDays(-30), Guid.Empty), s_now.AddHours(-50), 100, Ct);
        Assert.Equal(ordered.Where(e => e.Time < s_now.AddHours(-50)).Select(e => e.Id), before.Select(e => e.Id));
    }

    [Fact]
    public async Task An_entry_listed_late_comes_after_a_cursor_already_past_the_time_its_request_arrived()
    {
        var log = NewLog();
        // A long request arrived first, and its begun entry waits; a quick one is answered and delivered.
        var slow = Entry(s_now.AddMinutes(-3)) with { Status = null };
        var quick = Entry(s_now.AddMinutes(-2));
        await log.BeginAsync(slow, Ct);
        _clock.Now = quick.Time;
        await log.RecordAsync(quick, Ct);
        var first = await log.ListOldestFirstAsync(new AuditCursor(s_now.AddDays(-1), Guid.Empty), s_now, 10, Ct);
        Assert.Equal([quick.Id], first.Select(e => e.Id));
        var cursor = new AuditCursor(first[^1].Listed!.Value, first[^1].Id);

        // The sweep finds the slow one interrupted a minute later: it is listed then, after the cursor, with its own arrival time.
        _clock.Now = s_now.AddMinutes(-1);
        await log.ResolveAsync(slow, Ct);
        var next = await log.ListOldestFirstAsync(cursor, s_now, 10, Ct);
        Assert.Equal([slow.Id], next.Select(e => e.Id));
        Assert.True(next[0].Interrupted);
        Assert.Equal(slow.Time, next[0].Time);
        Assert.Empty(await log.ListBegunAsync(s_now, 10, Ct));
    }

    [Fact]
    public async Task An_entry_listed_just_after_midnight_is_in_the_next_days_feed_and_listed_by_its_arrival_day()
    {
        var log = NewLog();
        var midnight = new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.Zero);
        var entry = Entry(midnight.AddSeconds(-1), Guid.NewGuid());
        _clock.Now = midnight.AddSeconds(1);
        await log.RecordAsync(entry, Ct);

        var feed = await log.ListOldestFirstAsync(new AuditCursor(midnight.AddDays(-1), Guid.Empty), midnight.AddMinutes(1), 10, Ct);
        Assert.Equal([entry.Id], feed.Select(e => e.Id));
        var listed = await log.ListAsync(new AuditQuery(midnight.AddDays(-1), midnight.AddMinutes(1), null, entry.ControlPlaneId, null, 10, null), Ct);
        Assert.Equal([entry.Id], listed.Entries.Select(e => e.Id));
    }
}
