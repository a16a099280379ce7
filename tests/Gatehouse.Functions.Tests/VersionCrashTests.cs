using System.Net;
using Azure.Data.Tables;
using Gatehouse.Core.Composition;
using Gatehouse.Functions.Composition;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests;

/// <summary>
/// A worker, a real process, dies around the pointer move: before it (the snapshot written) or right
/// after it. Either way no move is without its version record and no record without its move, and a
/// new process's versions converge on the latest revision.
/// </summary>
public sealed class VersionCrashTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(RecomposeStep.SnapshotWritten)]
    [InlineData(RecomposeStep.PointerMoved)]
    public async Task A_worker_killed_at_the_pointer_move_leaves_every_move_with_its_record_and_versions_converge(RecomposeStep step)
    {
        var prefix = storage.UniqueName("t");
        string controlPlane;
        await using (var doomed = await AppProcess.StartAsync(storage, prefix, new Dictionary<string, string>
        {
            ["Gatehouse__Recompose__VisibilitySeconds"] = "1",
            ["Gatehouse__Recompose__SweepSeconds"] = "3600",
            ["Gatehouse__Recompose__CrashAt"] = step.ToString(),
        }))
        {
            var created = await (await doomed.Client.PostJsonAsync("/v2/control-planes", """{"name":"versions-crash"}""")).ExpectAsync(HttpStatusCode.Created);
            controlPlane = created.GetProperty("id").GetString()!;
            try
            {
                await (await doomed.Client.PostJsonAsync($"/v2/control-planes/{controlPlane}/core-entities/services", """{"name":"first","host":"f.internal"}"""))
                    .ExpectAsync(HttpStatusCode.Created);
            }
            catch (HttpRequestException)
            {
                // The worker may die before the answer is sent; the write committed first.
            }
            await doomed.WaitForExitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(CrashInjection.ExitCode, doomed.ExitCode);
        }

        // What the crash left: exactly as many version records as moves, the last naming the pointer's snapshot.
        var table = storage.CreateTableServiceClient().GetTableClient($"{prefix}snapshots");
        var pointer = await table.GetEntityIfExistsAsync<TableEntity>(controlPlane, "pointer", cancellationToken: Ct);
        var records = await RecordsAsync(table, controlPlane);
        Assert.Equal(step == RecomposeStep.PointerMoved, pointer.HasValue);
        if (pointer.HasValue)
        {
            var moves = pointer.Value!.GetInt64("VersionNumber")!.Value;
            Assert.Equal(Enumerable.Range(1, (int)moves).Reverse().Select(n => (long)n), records.Select(r => r.GetInt64("Number")!.Value));
            Assert.Equal(pointer.Value.GetString("Hash"), records[0].GetString("Hash"));
        }
        else
        {
            Assert.Empty(records);
        }

        await using var survivor = await AppProcess.StartAsync(storage, prefix, new Dictionary<string, string>
        {
            ["Gatehouse__Recompose__VisibilitySeconds"] = "1",
            ["Gatehouse__Recompose__SweepSeconds"] = "2",
        });
        await (await survivor.Client.PostJsonAsync($"/v2/control-planes/{controlPlane}/core-entities/services", """{"name":"second","host":"s.internal"}"""))
            .ExpectAsync(HttpStatusCode.Created);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var row = await table.GetEntityIfExistsAsync<TableEntity>(controlPlane, "pointer", cancellationToken: Ct);
            if (row.HasValue && row.Value!.GetInt64("Revision") == 2)
            {
                var expected = await (await survivor.Client.GetAsync($"/v2/control-planes/{controlPlane}/expected-config-hash", Ct)).ExpectAsync(HttpStatusCode.OK);
                var list = await (await survivor.Client.GetAsync($"/v2/control-planes/{controlPlane}/config-versions", Ct)).ExpectAsync(HttpStatusCode.OK);
                var versions = list.GetProperty("data").EnumerateArray().ToList();
                // Nothing lost: one version per move, numbered without a gap, the newest the served snapshot at revision 2.
                Assert.Equal(row.Value.GetInt64("VersionNumber"), versions.Count);
                Assert.Equal(Enumerable.Range(1, versions.Count).Reverse().Select(n => (long)n), versions.Select(v => v.GetProperty("version").GetInt64()));
                Assert.Equal(expected.GetProperty("expected_hash").GetString(), versions[0].GetProperty("hash").GetString());
                Assert.Equal(2, versions[0].GetProperty("revision").GetInt64());
                foreach (var version in versions)
                {
                    await (await survivor.Client.GetAsync($"/v2/control-planes/{controlPlane}/config-versions/{version.GetProperty("hash").GetString()}", Ct))
                        .ExpectAsync(HttpStatusCode.OK);
                }
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, $"versions never converged after a crash at {step}");
            await Task.Delay(100, Ct);
        }
    }

    private static async Task<List<TableEntity>> RecordsAsync(TableClient table, string controlPlane)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {controlPlane} and RowKey ge {"version|"} and RowKey lt {"version}"}"), cancellationToken: Ct))
        {
            rows.Add(row);
        }
        return rows;
    }
}
