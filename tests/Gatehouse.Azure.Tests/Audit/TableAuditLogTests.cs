using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Gatehouse.Azure.Audit;
using Gatehouse.Azure.ControlPlanes;
using Gatehouse.Azure.Entities;
using Gatehouse.Azure.Storage;
using Gatehouse.Core.Audit;
using Gatehouse.Core.ControlPlanes;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;
using Gatehouse.Testing;

namespace Gatehouse.Azure.Tests.Audit;

/// <summary>The audit log against Azurite: listing across days newest first, its filters and pages, the outbox, and retention.</summary>
public sealed class TableAuditLogTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset s_now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private (TableAuditLog Log, TableClient Table) NewLog()
    {
        var (log, table, _) = NewLogWithStores();
        return (log, table);
    }

    private (TableAuditLog Log, TableClient Table, StorageLayout Layout) NewLogWithStores(TimeProvider? clock = null)
    {
        var layout = new StorageLayout(storage.UniqueName("a"));
        var tables = storage.CreateAccount().Tables;
        return (new TableAuditLog(tables, layout, clock), tables.GetTableClient(layout.AuditTable), layout);
    }

    private AuditSweeper Sweeper(TableAuditLog log, StorageLayout layout, TimeProvider clock)
    {
        var tables = storage.CreateAccount().Tables;
        return new AuditSweeper(log, new TableEntityStore(tables, layout), new TableControlPlaneStore(tables, layout), new AuditSettings(7, TimeSpan.FromMinutes(5)), clock);
    }

    private static AuditEntry Entry(DateTimeOffset time, string action = "core-entities.services.create", Guid? controlPlane = null, string? principal = null, int? status = 201) =>
        new(Guid.CreateVersion7(), time, principal is null ? new AuditPrincipal("organization_admin", null, "the organization admin") : new AuditPrincipal("system_account", principal, $"system account '{principal}'"),
            action, controlPlane, "POST", "/v2/control-planes/x/core-entities/services", status, "0HN:1", "abc", "127.0.0.1", "tests/1");

    private static AuditQuery All(int size = 100) => new(s_now.AddDays(-30), s_now, null, null, null, size, null);

    [Fact]
    public async Task Entries_over_several_days_list_newest_first_and_page_to_the_same_sequence()
    {
        var (log, _) = NewLog();
        var written = Enumerable.Range(0, 25).Select(i => Entry(s_now.AddHours(-7 * i))).ToList();
        foreach (var entry in written.OrderBy(_ => Random.Shared.Next()))
        {
            await log.RecordAsync(entry, Ct);
        }

        var listed = (await log.ListAsync(All(), Ct)).Entries;
        Assert.Equal(written.Select(e => e.Id), listed.Select(e => e.Id));
        // Everything written reads back, and when it was listed.
        Assert.Equal(written[3], listed[3] with { Listed = null });
        Assert.NotNull(listed[3].Listed);

        var paged = new List<AuditEntry>();
        var query = All(size: 4);
        while (true)
        {
            var page = await log.ListAsync(query, Ct);
            Assert.True(page.Entries.Count <= 4);
            paged.AddRange(page.Entries);
            if (page.Next is null)
            {
                break;
            }
            query = query with { After = page.Next };
        }
        Assert.Equal(written.Select(e => e.Id), paged.Select(e => e.Id));
    }

    [Fact]
    public async Task Filters_by_control_plane_principal_action_and_time_select_exactly_the_matching_entries()
    {
        var (log, _) = NewLog();
        Guid one = Guid.NewGuid(), other = Guid.NewGuid();
        var entries = Enumerable.Range(0, 40).Select(i => Entry(
            s_now.AddHours(-5 * i), action: i % 3 == 0 ? "control-planes.delete" : "core-entities.routes.update",
            controlPlane: i % 2 == 0 ? one : i % 5 == 0 ? null : other, principal: i % 4 == 0 ? "ci" : null)).ToList();
        foreach (var entry in entries)
        {
            await log.RecordAsync(entry, Ct);
        }

        async Task AssertSelects(AuditQuery query, Func<AuditEntry, bool> expected)
        {
            var listed = (await log.ListAsync(query, Ct)).Entries;
            var wanted = entries.Where(e => e.Time >= query.From && e.Time <= query.To).Where(expected).Select(e => e.Id).ToList();
            Assert.NotEmpty(wanted);
            Assert.Equal(wanted, listed.Select(e => e.Id));
        }

        await AssertSelects(All() with { ControlPlaneId = one }, e => e.ControlPlaneId == one);
        await AssertSelects(All() with { ControlPlaneId = other, Action = "control-planes.delete" }, e => e.ControlPlaneId == other && e.Action == "control-planes.delete");
        await AssertSelects(All() with { PrincipalId = "ci" }, e => e.Principal.Id == "ci");
        await AssertSelects(All() with { From = s_now.AddHours(-52), To = s_now.AddHours(-21) }, _ => true);
        await AssertSelects(All() with { From = s_now.AddHours(-100), To = s_now.AddHours(-30), ControlPlaneId = one }, e => e.ControlPlaneId == one);
    }

    [Fact]
    public async Task A_begun_entry_is_not_listed_until_recorded_and_resolving_it_never_overwrites_a_recorded_answer()
    {
        var (log, table) = NewLog();
        var answered = Entry(s_now.AddMinutes(-10), status: null);
        var interrupted = Entry(s_now.AddMinutes(-9), status: null);
        var young = Entry(s_now.AddSeconds(-5), status: null);
        foreach (var entry in new[] { answered, interrupted, young })
        {
            await log.BeginAsync(entry, Ct);
        }
        Assert.Empty((await log.ListAsync(All(), Ct)).Entries);

        // The process recorded this answer, then stopped before the begun row went.
        await log.RecordAsync(answered.Answered(201), Ct);
        var begun = await log.ListBegunAsync(s_now.AddMinutes(-1), 100, Ct);
        Assert.Equal([answered.Id, interrupted.Id], begun.Select(e => e.Id));
        foreach (var entry in begun)
        {
            await log.ResolveAsync(entry, Ct);
        }

        var listed = (await log.ListAsync(All(), Ct)).Entries;
        Assert.Equal(201, Assert.Single(listed, e => e.Id == answered.Id).Status);
        Assert.True(Assert.Single(listed, e => e.Id == interrupted.Id).Interrupted);
        Assert.Equal([young.Id], (await log.ListBegunAsync(s_now, 100, Ct)).Select(e => e.Id));

        // Recorded, then forgotten as begun.
        await log.RecordAsync(young.Answered(204), Ct);
        await log.ForgetBegunAsync(young, Ct);
        Assert.Empty(await log.ListBegunAsync(s_now, 100, Ct));
        Assert.Empty(table.Query<TableEntity>(e => e.PartitionKey == "begun", cancellationToken: Ct));
    }

    [Fact]
    public async Task A_begun_entry_said_to_be_running_since_the_cutoff_is_not_listed_and_saying_so_of_a_gone_one_does_nothing()
    {
        var (log, table) = NewLog();
        var running = Entry(s_now.AddMinutes(-20), status: null);
        var stopped = Entry(s_now.AddMinutes(-19), status: null);
        await log.BeginAsync(running, Ct);
        await log.BeginAsync(stopped, Ct);

        // Both began long ago; the process of one said a minute ago that it still runs, the other's last said so ten minutes ago.
        await log.KeepBegunAsync(running, s_now.AddMinutes(-1), Ct);
        await log.KeepBegunAsync(stopped, s_now.AddMinutes(-10), Ct);
        Assert.Equal([stopped.Id], (await log.ListBegunAsync(s_now.AddMinutes(-5), 100, Ct)).Select(e => e.Id));
        Assert.Equal([running.Id, stopped.Id], (await log.ListBegunAsync(s_now, 100, Ct)).Select(e => e.Id));

        // Recorded and forgotten: a late word neither fails nor brings the row back.
        await log.RecordAsync(running.Answered(200), Ct);
        await log.ForgetBegunAsync(running, Ct);
        await log.KeepBegunAsync(running, s_now, Ct);
        Assert.Equal([stopped.Id], table.Query<TableEntity>(e => e.PartitionKey == "begun", cancellationToken: Ct).Select(e => e.GetGuid("EntryId")));
    }

    [Fact]
    public async Task The_sweeper_removes_entries_older_than_the_retention_with_their_index_rows_and_keeps_the_rest()
    {
        var listing = new ManualClock();
        var (log, table, layout) = NewLogWithStores(listing);
        await new TableControlPlaneStore(storage.CreateAccount().Tables, layout).InitializeAsync(Ct);
        var controlPlane = Guid.NewGuid();
        var entries = Enumerable.Range(0, 30).Select(i => Entry(s_now.AddHours(-12 * i), controlPlane: controlPlane)).ToList();
        foreach (var entry in entries)
        {
            listing.Now = entry.Time;
            await log.RecordAsync(entry, Ct);
        }
        var clock = new FixedClock(s_now);
        var report = await Sweeper(log, layout, clock).SweepAsync(Ct);

        var kept = entries.Where(e => e.Time >= s_now.AddDays(-7)).ToList();
        // Three rows per entry: by time newest first, by time oldest first (the delivery feed), by control plane.
        Assert.Equal((entries.Count - kept.Count) * 3, report.Trimmed);
        Assert.Equal(kept.Select(e => e.Id), (await log.ListAsync(All(), Ct)).Entries.Select(e => e.Id));
        Assert.Equal(kept.Select(e => e.Id), (await log.ListAsync(All() with { ControlPlaneId = controlPlane }, Ct)).Entries.Select(e => e.Id));
        Assert.Equal(kept.Count * 3, table.Query<TableEntity>(cancellationToken: Ct).Count());
        Assert.Equal(0, (await Sweeper(log, layout, clock).SweepAsync(Ct)).Trimmed);
    }

    [Fact]
    public async Task An_empty_or_absent_log_lists_nothing_and_sweeps_nothing()
    {
        var (log, _) = NewLog();
        Assert.Empty((await log.ListAsync(All(), Ct)).Entries);
        Assert.Empty(await log.ListBegunAsync(s_now, 10, Ct));
        Assert.Equal(0, await log.TrimAsync(s_now, 10, Ct));
    }

    [Fact]
    public async Task An_entry_a_commit_kept_is_listed_as_interrupted_by_the_sweep_once_its_answer_is_overdue_and_the_kept_row_goes()
    {
        var (log, layout, _, entities, cp, now) = await ControlPlaneWithLogAsync();

        // A request whose commit kept its entry, and whose process stopped before it recorded the answer.
        var entry = Entry(now.AddMinutes(-10), controlPlane: cp.Id, status: null);
        var kept = await CommitKeepingAsync(entities, cp.Id, entry);
        Assert.Equal([cp.Id], kept.KeptIn);
        var young = Entry(now, controlPlane: cp.Id, status: null);
        await CommitKeepingAsync(entities, cp.Id, young);
        Assert.Equal([entry.Id], (await entities.ListKeptAsync(cp.Id, now.AddMinutes(-5), 10, Ct)).Select(e => e.Id));

        var report = await Sweeper(log, layout, new FixedClock(now)).SweepAsync(Ct);

        Assert.Equal(1, report.Resolved);
        var listed = (await log.ListAsync(new AuditQuery(now.AddDays(-1), now, null, cp.Id, null, 10, null), Ct)).Entries;
        Assert.True(Assert.Single(listed).Interrupted);
        // The one still within its request's time stays kept.
        Assert.Equal([young.Id], (await entities.ListKeptAsync(cp.Id, now.AddMinutes(1), 10, Ct)).Select(e => e.Id));
        Assert.Equal(0, (await Sweeper(log, layout, new FixedClock(now)).SweepAsync(Ct)).Resolved);
    }

    [Fact]
    public async Task Kept_entries_are_forgotten_together_one_already_gone_is_no_error_and_a_recorded_answer_outlives_a_late_sweep()
    {
        var (log, layout, _, entities, cp, now) = await ControlPlaneWithLogAsync();
        var entries = Enumerable.Range(0, 105).Select(i => Entry(now.AddMinutes(-10).AddSeconds(i), controlPlane: cp.Id)).ToList();
        foreach (var entry in entries)
        {
            await CommitKeepingAsync(entities, cp.Id, entry);
        }
        // The first was recorded with its answer, and its kept copy not yet removed when the sweep ran.
        await log.RecordAsync(entries[0], Ct);
        Assert.Equal(105, (await Sweeper(log, layout, new FixedClock(now)).SweepAsync(Ct)).Resolved);
        var first = Assert.Single((await log.ListAsync(new AuditQuery(now.AddDays(-1), now, null, cp.Id, null, 200, null), Ct)).Entries, e => e.Id == entries[0].Id);
        Assert.Equal((201, false), (first.Status, first.Interrupted));
        Assert.Empty(await entities.ListKeptAsync(cp.Id, now.AddMinutes(1), 200, Ct));

        // More than one transaction holds, with some of them removed already.
        var more = Enumerable.Range(0, 150).Select(i => Entry(now.AddSeconds(i), controlPlane: cp.Id)).ToList();
        foreach (var entry in more)
        {
            await CommitKeepingAsync(entities, cp.Id, entry);
        }
        await entities.ForgetKeptAsync(cp.Id, [more[3].Id, more[120].Id], Ct);
        Assert.Equal(148, (await entities.ListKeptAsync(cp.Id, now.AddHours(1), 200, Ct)).Count);
        await entities.ForgetKeptAsync(cp.Id, [.. more.Select(e => e.Id), more[7].Id, Guid.NewGuid()], Ct);
        Assert.Empty(await entities.ListKeptAsync(cp.Id, now.AddHours(1), 200, Ct));
    }

    [Fact]
    public async Task A_sweeper_looks_for_a_control_planes_kept_entries_when_it_first_sees_it_and_then_once_per_interrupted_after()
    {
        var (log, layout, _, entities, cp, now) = await ControlPlaneWithLogAsync();
        var clock = new ManualClock { Now = now };
        var sweeper = Sweeper(log, layout, clock);
        Assert.Equal(0, (await sweeper.SweepAsync(Ct)).Resolved);

        // Left by a process that stopped after this sweeper's look: the next sweep does not query for it yet.
        var entry = Entry(now.AddMinutes(-10), controlPlane: cp.Id, status: null);
        await CommitKeepingAsync(entities, cp.Id, entry);
        Assert.Equal(0, (await sweeper.SweepAsync(Ct)).Resolved);
        Assert.Equal([entry.Id], (await entities.ListKeptAsync(cp.Id, now, 10, Ct)).Select(e => e.Id));

        // Within the period (5 minutes here) of the first look, it is listed; a fresh sweeper lists it at once.
        clock.Now = now.AddMinutes(5);
        Assert.Equal(1, (await sweeper.SweepAsync(Ct)).Resolved);
        Assert.True(Assert.Single((await log.ListAsync(new AuditQuery(now.AddDays(-1), now, null, cp.Id, null, 10, null), Ct)).Entries).Interrupted);
        var later = Entry(now.AddMinutes(-10), controlPlane: cp.Id, status: null);
        await CommitKeepingAsync(entities, cp.Id, later);
        Assert.Equal(1, (await Sweeper(log, layout, clock).SweepAsync(Ct)).Resolved);
    }

    [Fact]
    public async Task Deleting_a_control_plane_hands_its_kept_entries_to_the_log_so_the_sweep_still_lists_them()
    {
        var (log, layout, controlPlanes, entities, cp, now) = await ControlPlaneWithLogAsync();
        var entry = Entry(now.AddMinutes(-10), controlPlane: cp.Id, status: null);
        await CommitKeepingAsync(entities, cp.Id, entry);

        Assert.True(await controlPlanes.TryRemoveAsync((await controlPlanes.FindAsync(cp.Id, Ct))!, Ct));

        Assert.Equal([entry.Id], (await log.ListBegunAsync(now, 10, Ct)).Select(e => e.Id));
        Assert.Equal(1, (await Sweeper(log, layout, new FixedClock(now)).SweepAsync(Ct)).Resolved);
        Assert.Equal([entry.Id], (await log.ListAsync(new AuditQuery(now.AddDays(-1), now, null, cp.Id, null, 10, null), Ct)).Entries.Select(e => e.Id));
    }

    /// <summary>A log, and a control plane in the same storage whose commits can keep audit entries.</summary>
    private async Task<(TableAuditLog Log, StorageLayout Layout, TableControlPlaneStore ControlPlanes, TableEntityStore Entities, ControlPlane Cp, DateTimeOffset Now)>
        ControlPlaneWithLogAsync()
    {
        var (log, _, layout) = NewLogWithStores();
        var tables = storage.CreateAccount().Tables;
        var controlPlanes = new TableControlPlaneStore(tables, layout);
        await controlPlanes.InitializeAsync(Ct);
        var now = DateTimeOffset.UtcNow;
        var cp = new ControlPlane
        {
            Id = Guid.NewGuid(),
            Name = storage.UniqueName("cp"),
            Labels = new SortedDictionary<string, string>(),
            ProxyUrls = [],
            CreatedAt = now,
            UpdatedAt = now,
        };
        Assert.True(await controlPlanes.TryAddAsync(cp, Ct));
        return (log, layout, controlPlanes, new TableEntityStore(tables, layout), cp, now);
    }

    /// <summary>A service create committed as a request keeping its audit entry with the change would commit it.</summary>
    private static async Task<AuditedChange> CommitKeepingAsync(TableEntityStore entities, Guid controlPlane, AuditEntry entry)
    {
        var kept = await Task.Run(async () =>
        {
            var change = AuditedChange.Begin(entry, keepsEntry: true);
            var revision = await entities.GetRevisionAsync(controlPlane, Ct);
            var service = new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["name"] = $"svc-{entry.Id:N}", ["host"] = "example.com" };
            var result = await entities.CommitAsync(controlPlane, revision, [new EntityChange.Put(KongSchemas.Find("services")!, service, null)], Ct);
            Assert.Equal(CommitOutcome.Committed, result.Outcome);
            return change;
        });
        return kept;
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
