using System.Net;
using Azure.Data.Tables;
using Gatehouse.Core.Composition;
using Gatehouse.Functions.Composition;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests;

/// <summary>
/// The worker, a real process, dies at each step of a recomposition; a fresh process on the same
/// storage picks up the work and the snapshot converges on the latest revision.
/// </summary>
public sealed class CrashRecoveryTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string> s_fastRetry = new()
    {
        ["Gatehouse__Recompose__VisibilitySeconds"] = "1",
        ["Gatehouse__Recompose__SweepSeconds"] = "2",
    };

    [Theory]
    [InlineData(RecomposeStep.Received)]
    [InlineData(RecomposeStep.SnapshotWritten)]
    [InlineData(RecomposeStep.PointerMoved)]
    public async Task A_worker_killed_at_any_step_leaves_work_that_a_new_worker_finishes(RecomposeStep step)
    {
        var prefix = storage.UniqueName("t");
        string controlPlane;
        // The doomed process does not sweep: the only message it handles is the one its write sends,
        // so it dies after that write committed (a sweep of the new, empty control plane could kill it first).
        await using (var doomed = await AppProcess.StartAsync(storage, prefix, new Dictionary<string, string>
        {
            ["Gatehouse__Recompose__VisibilitySeconds"] = "1",
            ["Gatehouse__Recompose__SweepSeconds"] = "3600",
            ["Gatehouse__Recompose__CrashAt"] = step.ToString(),
        }))
        {
            var created = await (await doomed.Client.PostJsonAsync("/v2/control-planes", """{"name":"crashy"}""")).ExpectAsync(HttpStatusCode.Created);
            controlPlane = created.GetProperty("id").GetString()!;
            try
            {
                await (await doomed.Client.PostJsonAsync($"/v2/control-planes/{controlPlane}/core-entities/services", """{"name":"first","host":"f.internal"}"""))
                    .ExpectAsync(HttpStatusCode.Created);
            }
            catch (HttpRequestException)
            {
                // The write commits before it wakes the worker, and the worker can die before the
                // answer is sent: the survivor below shows the write landed all the same.
            }

            await doomed.WaitForExitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(CrashInjection.ExitCode, doomed.ExitCode);
            Assert.Contains(doomed.Output, line => line.Contains($"Crashing on purpose at {step}", StringComparison.Ordinal));
        }

        // What the crash left: never a pointer past the snapshot it names.
        var tables = storage.CreateTableServiceClient();
        var pointer = await tables.GetTableClient($"{prefix}snapshots").GetEntityIfExistsAsync<TableEntity>(controlPlane, "pointer", cancellationToken: Ct);
        Assert.Equal(step == RecomposeStep.PointerMoved, pointer.HasValue);

        await using var survivor = await AppProcess.StartAsync(storage, prefix, s_fastRetry);
        await (await survivor.Client.PostJsonAsync($"/v2/control-planes/{controlPlane}/core-entities/services", """{"name":"second","host":"s.internal"}"""))
            .ExpectAsync(HttpStatusCode.Created);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var config = await (await survivor.Client.GetAsync($"/v2/control-planes/{controlPlane}/declarative-config", Ct)).ExpectAsync(HttpStatusCode.OK);
            var names = config.TryGetProperty("services", out var services) ? services.EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToList() : [];
            if (names.Count == 2)
            {
                // Revision 2 is the last write: the pointer stands there, naming what data planes are served.
                var row = await tables.GetTableClient($"{prefix}snapshots").GetEntityAsync<TableEntity>(controlPlane, "pointer", cancellationToken: Ct);
                var hash = await (await survivor.Client.GetAsync($"/v2/control-planes/{controlPlane}/expected-config-hash", Ct)).ExpectAsync(HttpStatusCode.OK);
                Assert.Equal(2, row.Value.GetInt64("Revision"));
                Assert.Equal(hash.GetProperty("expected_hash").GetString(), row.Value.GetString("Hash"));
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, $"never converged after a crash at {step}: {config.GetRawText()}");
            await Task.Delay(100, Ct);
        }
    }

    [Fact]
    public async Task An_import_killed_between_its_batches_is_finished_by_the_next_process_and_never_served_half_applied()
    {
        var prefix = storage.UniqueName("t");
        var tables = storage.CreateTableServiceClient();
        string controlPlane;
        string before;
        await using (var doomed = await AppProcess.StartAsync(storage, prefix, new Dictionary<string, string>
        {
            ["Gatehouse__Recompose__SweepSeconds"] = "3600",
            ["Gatehouse__Recompose__CrashAt"] = nameof(RecomposeStep.ImportBatchCommitted),
        }))
        {
            var created = await (await doomed.Client.PostJsonAsync("/v2/control-planes", """{"name":"import-crash"}""")).ExpectAsync(HttpStatusCode.Created);
            controlPlane = created.GetProperty("id").GetString()!;
            await (await doomed.Client.PostJsonAsync($"/v2/control-planes/{controlPlane}/core-entities/services", """{"name":"before","host":"b.internal"}"""))
                .ExpectAsync(HttpStatusCode.Created);
            before = await WaitForServicesAsync(doomed, controlPlane, 1);

            // 120 services with a route each: more than one commit can hold.
            var services = string.Join(',', Enumerable.Range(0, 120).Select(i =>
                $$"""{"name":"svc-{{i}}","host":"svc-{{i}}.internal","routes":[{"name":"route-{{i}}","paths":["/svc-{{i}}"]}]}"""));
            await Assert.ThrowsAnyAsync<HttpRequestException>(async () =>
                await doomed.Client.PutAsync($"/v2/control-planes/{controlPlane}/declarative-config",
                    new StringContent($$"""{"_format_version":"3.0","services":[{{services}}]}""", System.Text.Encoding.UTF8, "application/json"), Ct));
            await doomed.WaitForExitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(CrashInjection.ExitCode, doomed.ExitCode);
        }

        // What the crash left: one batch committed, the import's marker on the revision, the old snapshot current.
        var revision = await tables.GetTableClient($"{prefix}entities").GetEntityAsync<TableEntity>(controlPlane, "rev", cancellationToken: Ct);
        Assert.NotNull(revision.Value.GetString("ImportId"));
        Assert.Equal(1, revision.Value.GetInt32("ImportNextBatch"));

        await using var survivor = await AppProcess.StartAsync(storage, prefix, new Dictionary<string, string>
        {
            ["Gatehouse__Recompose__SweepSeconds"] = "1",
            ["Gatehouse__Import__StallSeconds"] = "8",
        });
        // Until the survivor's sweeper takes the import over, the control plane refuses writes and serves what it served.
        var refused = await (await survivor.Client.PostJsonAsync($"/v2/control-planes/{controlPlane}/core-entities/services", """{"name":"x","host":"x"}"""))
            .ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("import", refused.GetProperty("message").GetString());
        // A read waits for the import rather than show part of it.
        var listed = await (await survivor.Client.GetAsync($"/v2/control-planes/{controlPlane}/core-entities/services?size=1000", Ct))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(120, listed.GetProperty("data").GetArrayLength());

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var config = await (await survivor.Client.GetAsync($"/v2/control-planes/{controlPlane}/declarative-config", Ct)).ExpectAsync(HttpStatusCode.OK);
            var count = config.GetProperty("services").GetArrayLength();
            // Every snapshot ever served is the one before or the whole file: never part of it.
            Assert.True(count is 1 or 120, $"a half-applied import was served: {count} services");
            if (count == 120)
            {
                Assert.Equal(120, config.GetProperty("routes").GetArrayLength());
                Assert.DoesNotContain(config.GetProperty("services").EnumerateArray(), s => s.GetProperty("name").GetString() == "before");
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, "the stalled import was never finished");
            await Task.Delay(100, Ct);
        }
        Assert.Contains(survivor.Output, line => line.Contains("finished a stalled import", StringComparison.Ordinal));
        revision = await tables.GetTableClient($"{prefix}entities").GetEntityAsync<TableEntity>(controlPlane, "rev", cancellationToken: Ct);
        Assert.Null(revision.Value.GetString("ImportId"));
        await (await survivor.Client.PostJsonAsync($"/v2/control-planes/{controlPlane}/core-entities/services", """{"name":"after","host":"a.internal"}"""))
            .ExpectAsync(HttpStatusCode.Created);
        Assert.NotEqual(before, await WaitForServicesAsync(survivor, controlPlane, 121));
    }

    /// <summary>Waits until the snapshot holds that many services; returns its hash.</summary>
    private static async Task<string> WaitForServicesAsync(AppProcess app, string controlPlane, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var response = await app.Client.GetAsync($"/v2/control-planes/{controlPlane}/declarative-config", Ct);
            var config = await response.ExpectAsync(HttpStatusCode.OK);
            if (config.TryGetProperty("services", out var services) && services.GetArrayLength() == count)
            {
                return response.Headers.ETag!.Tag;
            }
            Assert.True(DateTime.UtcNow < deadline, $"the snapshot never reached {count} services");
            await Task.Delay(50, Ct);
        }
    }
}
