using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using Gatehouse.Core.Audit;
using Gatehouse.Functions.Tests.Access;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests.Audit;

/// <summary>The audit log through the API on a real Kestrel and Azurite: what changes and refusals record, and how the log is read.</summary>
public sealed class AuditLogApiTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<List<JsonElement>> ListAsync(HttpClient client, string query = "")
    {
        var body = await (await client.GetAsync($"/v2/audit-logs{query}", Ct)).ExpectAsync(HttpStatusCode.OK);
        return [.. body.GetProperty("data").EnumerateArray()];
    }

    private static string Text(JsonElement entry, string name) => entry.GetProperty(name).GetString()!;

    [Fact]
    public async Task The_copies_commits_kept_of_recorded_entries_are_removed()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var entities = await app.CreateControlPlaneAsync("kept-copies");
        var controlPlane = Guid.Parse(entities.Split('/')[3]);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async writer =>
        {
            for (var i = 0; i < 5; i++)
            {
                await (await app.Client.PostJsonAsync($"{entities}/services", $$"""{"name":"s{{writer}}-{{i}}","host":"s.internal"}""")).ExpectAsync(HttpStatusCode.Created);
            }
        }));
        Assert.Equal(20, (await ListAsync(app.Client, $"?filter[control_plane_id]={controlPlane}")).Count);

        var outbox = app.Services.GetRequiredService<IChangeAuditOutbox>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while ((await outbox.ListKeptAsync(controlPlane, DateTimeOffset.UtcNow.AddHours(1), 100, Ct)).Count > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the kept copies of recorded entries were not removed within 20 s");
            await Task.Delay(100, Ct);
        }
    }

    [Fact]
    public async Task Creates_updates_and_deletes_are_recorded_with_who_what_where_and_the_answer()
    {
        await using var app = await RunningApp.StartAsync(storage);
        app.Client.DefaultRequestHeaders.UserAgent.ParseAdd("audit-tests/1.0");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var entities = await app.CreateControlPlaneAsync("audited");
        var controlPlane = entities.Split('/')[3];
        var service = await (await app.Client.PostJsonAsync($"{entities}/services", """{"name":"s","host":"s.internal"}""")).ExpectAsync(HttpStatusCode.Created);
        var serviceId = service.GetProperty("id").GetString();
        await (await app.Client.PatchJsonAsync($"{entities}/services/{serviceId}", """{"port":8080}""")).ExpectAsync(HttpStatusCode.OK);
        await (await app.Client.PostJsonAsync($"{entities}/services", """{"name":"s","host":"dup.internal"}""")).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.NoContent, (await app.Client.DeleteAsync($"{entities}/services/{serviceId}", Ct)).StatusCode);
        // Reads that are let through are not audited.
        await (await app.Client.GetAsync($"{entities}/services", Ct)).ExpectAsync(HttpStatusCode.OK);

        var entries = await ListAsync(app.Client, $"?filter[control_plane_id]={controlPlane}");
        Assert.Equal(
            ["core-entities.services.delete", "core-entities.services.create", "core-entities.services.update", "core-entities.services.create"],
            entries.Select(e => Text(e, "action")));
        Assert.Equal([204, 409, 200, 201], entries.Select(e => e.GetProperty("request").GetProperty("status").GetInt32()));
        Assert.Equal(["success", "failure", "success", "success"], entries.Select(e => Text(e, "result")));
        var delete = entries[0];
        Assert.Equal("DELETE", Text(delete.GetProperty("request"), "method"));
        Assert.Equal($"{entities}/services/{serviceId}", Text(delete.GetProperty("request"), "path"));
        Assert.Equal("organization_admin", Text(delete, "principal_type"));
        Assert.Equal(JsonValueKind.Null, delete.GetProperty("principal_id").ValueKind);
        Assert.Equal(controlPlane, Text(delete, "control_plane_id"));
        Assert.Equal("127.0.0.1", Text(delete, "src"));
        Assert.Equal("audit-tests/1.0", Text(delete, "user_agent"));
        Assert.False(delete.GetProperty("kong_initiated").GetBoolean());
        Assert.NotEmpty(Text(delete, "request_id"));
        Assert.Matches("^[0-9a-f]{32}$", Text(delete, "trace_id"));
        var time = DateTimeOffset.Parse(Text(delete, "rt"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(time, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(4, entries.Select(e => Text(e, "id")).Distinct().Count());

        // Creating the control plane itself names no control plane in its route.
        var all = await ListAsync(app.Client);
        var create = Assert.Single(all, e => Text(e, "action") == "control-planes.create");
        Assert.Equal(201, create.GetProperty("request").GetProperty("status").GetInt32());
        Assert.Equal("/v2/control-planes", Text(create.GetProperty("request"), "path"));
        Assert.Equal(5, all.Count);
    }

    [Fact]
    public async Task Refusals_are_recorded_for_reads_too_naming_the_principal_when_the_token_was_good()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var entities = await app.CreateControlPlaneAsync("guarded");
        var controlPlane = entities.Split('/')[3];
        var (accountId, viewer) = await SystemAccounts.WithRolesAsync(app, "watcher", ("Viewer", controlPlane));
        using (viewer)
        {
            await (await viewer.GetAsync($"{entities}/services", Ct)).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostJsonAsync($"{entities}/services", """{"name":"x","host":"x"}""")).StatusCode);
            // Reading the audit log is for the organization admin alone, and that refusal is audited too.
            Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/v2/audit-logs", Ct)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous.GetAsync($"/v2/control-planes/{controlPlane}", Ct)).StatusCode);

        var refused = (await ListAsync(app.Client)).Where(e => Text(e, "result") == "refused").ToList();
        Assert.Equal(3, refused.Count);
        var anonymous = refused[0];
        Assert.Equal(("control-planes.get", 401, "anonymous"),
            (Text(anonymous, "action"), anonymous.GetProperty("request").GetProperty("status").GetInt32(), Text(anonymous, "principal_type")));
        Assert.Equal(controlPlane, Text(anonymous, "control_plane_id"));
        Assert.Equal(("audit-logs.list", 403, accountId), (Text(refused[1], "action"), refused[1].GetProperty("request").GetProperty("status").GetInt32(), Text(refused[1], "principal_id")));
        Assert.Equal(("core-entities.services.create", 403, "system_account"),
            (Text(refused[2], "action"), refused[2].GetProperty("request").GetProperty("status").GetInt32(), Text(refused[2], "principal_type")));
        Assert.Equal("system account 'watcher'", Text(refused[2], "principal_name"));

        var byAccount = await ListAsync(app.Client, $"?filter[principal_id]={accountId}");
        Assert.Equal(new[] { refused[1], refused[2] }.Select(e => Text(e, "id")), byAccount.Select(e => Text(e, "id")));
    }

    [Fact]
    public async Task Filters_and_pages_walk_the_whole_log_and_bad_parameters_are_400s()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var entities = await app.CreateControlPlaneAsync("paged");
        for (var i = 0; i < 7; i++)
        {
            await (await app.Client.PostJsonAsync($"{entities}/services", $$"""{"name":"s{{i}}","host":"s.internal"}""")).ExpectAsync(HttpStatusCode.Created);
        }
        var all = await ListAsync(app.Client, "?filter[action][eq]=core-entities.services.create");
        Assert.Equal(7, all.Count);

        var paged = new List<JsonElement>();
        var next = "/v2/audit-logs?filter[action]=core-entities.services.create&page[size]=3";
        while (next is not null)
        {
            var body = await (await app.Client.GetAsync(next, Ct)).ExpectAsync(HttpStatusCode.OK);
            var page = body.GetProperty("data").EnumerateArray().ToList();
            Assert.InRange(page.Count, 1, 3);
            paged.AddRange(page);
            Assert.Equal(3, body.GetProperty("meta").GetProperty("page").GetProperty("size").GetInt32());
            next = body.GetProperty("meta").GetProperty("page").GetProperty("next").GetString();
        }
        Assert.Equal(all.Select(e => Text(e, "id")), paged.Select(e => Text(e, "id")));

        // A time window: the three oldest creates.
        var window = $"?filter[action]=core-entities.services.create&filter[rt][gte]={Uri.EscapeDataString(Text(all[6], "rt"))}&filter[rt][lte]={Uri.EscapeDataString(Text(all[4], "rt"))}";
        Assert.Equal(all.Skip(4).Select(e => Text(e, "id")), (await ListAsync(app.Client, window)).Select(e => Text(e, "id")));
        Assert.Empty(await ListAsync(app.Client, $"?filter[control_plane_id]={Guid.NewGuid()}"));

        foreach (var (query, field) in new[]
        {
            ("filter[rt][gte]=yesterday", "filter[rt][gte]"),
            ("filter[control_plane_id]=nope", "filter[control_plane_id]"),
            ("page[size]=0", "page[size]"),
            ("page[after]=bm90LWEtY3Vyc29y", "page[after]"),
        })
        {
            var response = await app.Client.GetAsync($"/v2/audit-logs?{query}", Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(field, (await response.InvalidParametersAsync()).Select(p => p.Field));
        }
    }

    [Fact]
    public async Task No_token_ever_reaches_an_audit_row()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var entities = await app.CreateControlPlaneAsync("secrets");
        var controlPlane = entities.Split('/')[3];
        var (accountId, client) = await SystemAccounts.WithRolesAsync(app, "leaky", ("Admin", controlPlane));
        var token = client.DefaultRequestHeaders.Authorization!.Parameter!;
        using (client)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", $"curl/8 ({token}) {RunningApp.AdminToken}");
            await (await client.PostJsonAsync($"{entities}/services", """{"name":"s","host":"s.internal"}""")).ExpectAsync(HttpStatusCode.Created);
            // A token pasted into the path, refused.
            using var anonymous = new HttpClient { BaseAddress = app.Client.BaseAddress };
            anonymous.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", $"x {RunningApp.AdminToken}");
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.DeleteAsync($"/v2/control-planes/{token}", Ct)).StatusCode);
        }
        // A new token of the account: its answer carries the secret, its entry must not.
        var minted = await SystemAccounts.CreateTokenAsync(app, accountId, "second");

        var rows = storage.CreateTableServiceClient().GetTableClient($"{app.Prefix}audit").Query<TableEntity>(cancellationToken: Ct).ToList();
        Assert.Contains(rows, r => r.GetString("Action") == "system-accounts.access-tokens.create");
        Assert.Contains(rows, r => r.GetString("Action") == "control-planes.delete" && r.GetInt32("Status") == 401);
        var text = string.Join('\n', rows.SelectMany(r => r.Select(p => p.Value?.ToString())));
        Assert.Contains("spat_[redacted]", text, StringComparison.Ordinal);
        foreach (var secret in new[] { token, minted, RunningApp.AdminToken, token[5..], minted[5..] })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// A change that runs longer than the interruption period (a large import on slow storage) is
    /// not taken for one whose process stopped: while it runs its process says so, and its entry is
    /// listed once, with its answer. Before, the sweep listed it as interrupted while it ran.
    /// </summary>
    [Fact]
    public async Task A_change_running_longer_than_the_interruption_period_is_listed_once_with_its_answer()
    {
        await using var app = await RunningApp.StartAsync(storage, new Dictionary<string, string?> { ["Gatehouse:Audit:InterruptedAfterSeconds"] = "3" });
        var entities = await app.CreateControlPlaneAsync("long-import");
        var release = new TaskCompletionSource();
        using var body = new HeldBody("""{"_format_version":"3.0","services":[{"name":"slow","host":"slow.internal"}]}""", release.Task);
        var import = app.Client.PutAsync(entities.Replace("/core-entities", "/declarative-config", StringComparison.Ordinal), body, Ct);

        var log = app.Services.GetRequiredService<IAuditLog>();
        var deadline = DateTimeOffset.UtcNow.AddSeconds(20);
        while ((await log.ListBegunAsync(DateTimeOffset.MaxValue, 10, Ct)).Count == 0)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "the import's entry was never begun");
            await Task.Delay(50, Ct);
        }

        // Held for more than twice the period: no sweep meanwhile takes it for stopped.
        var sweeper = app.Services.GetRequiredService<AuditSweeper>();
        var held = DateTimeOffset.UtcNow;
        while (DateTimeOffset.UtcNow - held < TimeSpan.FromSeconds(8))
        {
            await Task.Delay(500, Ct);
            Assert.Equal(0, (await sweeper.SweepAsync(Ct)).Resolved);
        }
        Assert.False(import.IsCompleted);
        release.SetResult();
        Assert.True((await import).IsSuccessStatusCode);

        var entries = (await ListAsync(app.Client)).Where(e => Text(e, "action") == "declarative-config.replace").ToList();
        Assert.Equal("success", Text(Assert.Single(entries), "result"));
    }

    /// <summary>The period is a setting in seconds; at its largest, a third of it is past what a timer waits, and changes must still be made.</summary>
    [Fact]
    public async Task Changes_are_made_and_recorded_with_the_longest_interruption_period()
    {
        await using var app = await RunningApp.StartAsync(storage, new Dictionary<string, string?> { ["Gatehouse:Audit:InterruptedAfterSeconds"] = int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        await app.CreateControlPlaneAsync("patient");
        Assert.Equal("success", Text(Assert.Single(await ListAsync(app.Client), e => Text(e, "action") == "control-planes.create"), "result"));
    }

    /// <summary>
    /// A request body that arrives slowly: whitespace (which JSON allows before a value) until
    /// released, then the document. Kestrel ends a request whose body arrives at under 240 bytes a
    /// second after 5 s, so it is never silent.
    /// </summary>
    private sealed class HeldBody(string json, Task release) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            var spaces = new byte[64];
            Array.Fill(spaces, (byte)' ');
            while (!release.IsCompleted)
            {
                await stream.WriteAsync(spaces);
                await stream.FlushAsync();
                await Task.WhenAny(release, Task.Delay(100));
            }
            await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(json));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
