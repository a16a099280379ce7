using System.Net;
using System.Text.Json;
using Gatehouse.Functions.Composition;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests.Audit;

/// <summary>
/// The app, a real process, dies right after a change committed and before it recorded the change's
/// audit entry; the next process on the same storage lists the entry all the same, as interrupted.
/// </summary>
public sealed class AuditCrashTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("control-planes.create")]
    [InlineData("core-entities.services.create")]
    public async Task A_process_killed_right_after_a_write_commits_loses_no_audit_entry(string action)
    {
        var prefix = storage.UniqueName("t");
        string controlPlane;
        await using (var doomed = await AppProcess.StartAsync(storage, prefix, new Dictionary<string, string>
        {
            ["Gatehouse__Recompose__SweepSeconds"] = "3600",
            ["Gatehouse__Audit__CrashAfter"] = action,
        }))
        {
            var entities = action == "control-planes.create" ? null : await CreateControlPlaneAsync(doomed, "survives");
            await Assert.ThrowsAnyAsync<HttpRequestException>(async () =>
            {
                var response = entities is null
                    ? await doomed.Client.PostJsonAsync("/v2/control-planes", """{"name":"dies-after"}""")
                    : await doomed.Client.PostJsonAsync($"{entities}/services", """{"name":"landed","host":"l.internal"}""");
                Assert.Fail($"the process answered {response.StatusCode} instead of dying");
            });
            await doomed.WaitForExitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(CrashInjection.ExitCode, doomed.ExitCode);
            Assert.Contains(doomed.Output, line => line.Contains($"Crashing on purpose after {action}", StringComparison.Ordinal));
            controlPlane = entities?.Split('/')[3] ?? "";
        }

        await using var survivor = await AppProcess.StartAsync(storage, prefix, new Dictionary<string, string>
        {
            ["Gatehouse__Audit__SweepSeconds"] = "1",
            ["Gatehouse__Audit__InterruptedAfterSeconds"] = "1",
        });
        // The change did land.
        var planes = await (await survivor.Client.GetAsync("/v2/control-planes?page[size]=100", Ct)).ExpectAsync(HttpStatusCode.OK);
        if (action == "control-planes.create")
        {
            Assert.Contains(planes.GetProperty("data").EnumerateArray(), cp => cp.GetProperty("name").GetString() == "dies-after");
        }
        else
        {
            var services = await (await survivor.Client.GetAsync($"/v2/control-planes/{controlPlane}/core-entities/services", Ct)).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal("landed", Assert.Single(services.GetProperty("data").EnumerateArray()).GetProperty("name").GetString());
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var log = await (await survivor.Client.GetAsync($"/v2/audit-logs?filter[action]={action}", Ct)).ExpectAsync(HttpStatusCode.OK);
            if (log.GetProperty("data").EnumerateArray().ToList() is [var entry])
            {
                Assert.Equal("interrupted", entry.GetProperty("result").GetString());
                Assert.Equal(JsonValueKind.Null, entry.GetProperty("request").GetProperty("status").ValueKind);
                Assert.Equal("POST", entry.GetProperty("request").GetProperty("method").GetString());
                Assert.Equal("organization_admin", entry.GetProperty("principal_type").GetString());
                Assert.Equal("127.0.0.1", entry.GetProperty("src").GetString());
                if (controlPlane.Length > 0)
                {
                    Assert.Equal(controlPlane, entry.GetProperty("control_plane_id").GetString());
                }
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, $"the entry of the interrupted {action} never appeared: {log.GetRawText()}");
            await Task.Delay(200, Ct);
        }
        // The console logger writes from a queue: the line may follow the entry by a moment.
        var logged = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!survivor.Output.Any(line => line.Contains("as interrupted", StringComparison.Ordinal)) && DateTime.UtcNow < logged)
        {
            await Task.Delay(100, Ct);
        }
        Assert.Contains(survivor.Output, line => line.Contains("as interrupted", StringComparison.Ordinal));
    }

    private static async Task<string> CreateControlPlaneAsync(AppProcess app, string name)
    {
        var created = await (await app.Client.PostJsonAsync("/v2/control-planes", $$"""{"name":"{{name}}"}""")).ExpectAsync(HttpStatusCode.Created);
        return $"/v2/control-planes/{created.GetProperty("id").GetString()}/core-entities";
    }
}
