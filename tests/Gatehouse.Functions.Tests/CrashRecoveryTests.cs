using System.Net;
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
        var pointer = await tables.GetTableClient($"{prefix}snapshots").GetEntityIfExistsAsync(controlPlane, "pointer", cancellationToken: Ct);
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
                var row = await tables.GetTableClient($"{prefix}snapshots").GetEntityAsync(controlPlane, "pointer", cancellationToken: Ct);
                var hash = await (await survivor.Client.GetAsync($"/v2/control-planes/{controlPlane}/expected-config-hash", Ct)).ExpectAsync(HttpStatusCode.OK);
                Assert.Equal(2, row.Value.GetInt64("Revision"));
                Assert.Equal(hash.GetProperty("expected_hash").GetString(), row.Value.GetString("Hash"));
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, $"never converged after a crash at {step}: {config.GetRawText()}");
            await Task.Delay(100, Ct);
        }
    }
}
