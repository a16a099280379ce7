using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests;

/// <summary>
/// Plugins stored before every plugin's config was validated on write (issue 12 item 6), written
/// here straight into storage as such a row looks: served as stored by reads, lists, snapshots
/// and export; listed by <c>/invalid-plugins</c> with Kong's schema violation until a PATCH or
/// PUT makes them valid.
/// </summary>
public sealed class StoredInvalidPluginTests(StorageFixture storage)
{
    private const string StaleId = "0a000000-0000-4000-8000-000000000001";
    private const string RetiredId = "0a000000-0000-4000-8000-000000000002";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A plugin row as Gatehouse stored it before: every field, config as given.</summary>
    private static JsonObject Row(string id, string name, string? instanceName, JsonObject config) => new()
    {
        ["id"] = id,
        ["created_at"] = 1_760_000_000,
        ["updated_at"] = 1_760_000_000,
        ["name"] = name,
        ["instance_name"] = instanceName,
        ["route"] = null,
        ["service"] = null,
        ["consumer"] = null,
        ["consumer_group"] = null,
        ["config"] = config,
        ["protocols"] = new JsonArray("grpc", "grpcs", "http", "https"),
        ["enabled"] = true,
        ["tags"] = null,
        ["ordering"] = null,
    };

    private static async Task StoreAsync(RunningApp app, Guid controlPlane, params JsonObject[] rows)
    {
        var store = app.Services.GetRequiredService<IEntityStore>();
        var revision = await store.GetRevisionAsync(controlPlane, Ct);
        var result = await store.CommitAsync(controlPlane, revision, [.. rows.Select(row => new EntityChange.Put(Plugins.Schema, row, null))], Ct);
        Assert.Equal(CommitOutcome.Committed, result.Outcome);
    }

    private static async Task<List<JsonElement>> InvalidAsync(HttpClient api, string root, string query = "") =>
        [.. (await (await api.GetAsync($"{root}/invalid-plugins{query}", Ct)).ExpectAsync(HttpStatusCode.OK)).GetProperty("data").EnumerateArray()];

    private static IEnumerable<(string? Field, string Message)> Details(JsonElement error) =>
        error.GetProperty("details").EnumerateArray().SelectMany(d => d.GetProperty("messages").EnumerateArray()
            .Select(m => (d.TryGetProperty("field", out var f) ? f.GetString() : null, m.GetString()!)));

    [Fact]
    public async Task Stored_invalid_plugins_are_served_as_stored_listed_with_their_errors_and_leave_the_list_when_fixed()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var root = await app.CreateControlPlaneAsync("stored-before");
        var cp = Guid.Parse(root.Split('/')[3]);
        var api = app.Client;
        await (await api.PostJsonAsync(root + "/plugins", """{"name":"cors"}""")).ExpectAsync(HttpStatusCode.Created);
        var stale = Row(StaleId, "rate-limiting", null, new JsonObject { ["minute"] = "abc", ["policy"] = "local" });
        var retired = Row(RetiredId, "retired-plugin", "retired", new JsonObject { ["anything"] = new JsonArray(1) });
        await StoreAsync(app, cp, stale, retired);

        // Reads and the list answer them as stored.
        var read = await (await api.GetAsync($"{root}/plugins/{StaleId}", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("""{"minute":"abc","policy":"local"}""", read.GetProperty("config").GetRawText());
        var byName = await (await api.GetAsync($"{root}/plugins/retired", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("""{"anything":[1]}""", byName.GetProperty("config").GetRawText());
        var listed = await (await api.GetAsync($"{root}/plugins", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["cors", "rate-limiting", "retired-plugin"], listed.GetProperty("data").EnumerateArray().Select(p => p.GetProperty("name").GetString()).Order(StringComparer.Ordinal));

        // The check lists the two, in id order, each as stored with Kong's schema violation; the valid one is not there.
        var invalid = await InvalidAsync(api, root);
        Assert.Equal([StaleId, RetiredId], invalid.Select(i => i.GetProperty("plugin").GetProperty("id").GetString()));
        Assert.Equal(read.GetRawText(), invalid[0].GetProperty("plugin").GetRawText());
        var staleError = invalid[0].GetProperty("error");
        Assert.Equal((2, "schema violation"), (staleError.GetProperty("code").GetInt32(), staleError.GetProperty("name").GetString()));
        Assert.Equal("""{"config":{"minute":"expected a number"}}""", staleError.GetProperty("fields").GetRawText());
        Assert.Equal("schema violation (config.minute: expected a number)", staleError.GetProperty("message").GetString());
        var retiredFields = Assert.Single(invalid[1].GetProperty("error").GetProperty("fields").EnumerateObject());
        Assert.Equal(("name", "plugin 'retired-plugin' not enabled; add it to the 'plugins' configuration property"), (retiredFields.Name, retiredFields.Value.GetString()));

        // Paged as the plugins list is, and filtered by name.
        var first = await (await api.GetAsync($"{root}/invalid-plugins?size=1", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(StaleId, Assert.Single(first.GetProperty("data").EnumerateArray()).GetProperty("plugin").GetProperty("id").GetString());
        var second = await (await api.GetAsync($"{root}/invalid-plugins?size=1&offset={Uri.EscapeDataString(first.GetProperty("offset").GetString()!)}", Ct))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(RetiredId, Assert.Single(second.GetProperty("data").EnumerateArray()).GetProperty("plugin").GetProperty("id").GetString());
        Assert.Equal([RetiredId], (await InvalidAsync(api, root, "?filter[name][eq]=retired-plugin")).Select(i => i.GetProperty("plugin").GetProperty("id").GetString()));

        // A write recomposes the snapshot; it and the export carry both as stored.
        await (await api.PostJsonAsync(root + "/services", """{"name":"after","host":"after.internal"}""")).ExpectAsync(HttpStatusCode.Created);
        var exported = await ExportWhenAsync(api, cp, config => config["services"] is JsonArray);
        var plugins = exported["plugins"]!.AsArray().Select(p => p!.AsObject()).ToDictionary(p => p["name"]!.GetValue<string>());
        Assert.Equal(["cors", "rate-limiting", "retired-plugin"], plugins.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("""{"minute":"abc","policy":"local"}""", plugins["rate-limiting"]["config"]!.ToJsonString());
        Assert.Equal("""{"anything":[1]}""", plugins["retired-plugin"]["config"]!.ToJsonString());

        // A group with this control plane as a member composes them too.
        var group = (await (await api.PostJsonAsync("/v2/control-planes", """{"name":"stored-before-group","cluster_type":"CLUSTER_TYPE_CONTROL_PLANE_GROUP"}"""))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await (await api.PostJsonAsync($"/v2/control-planes/{group}/group-memberships/add", $$"""{"members":[{"id":"{{cp}}"}]}""")).ExpectAsync(HttpStatusCode.NoContent);
        var composed = await ExportWhenAsync(api, group, config => config["plugins"] is JsonArray { Count: 3 });
        Assert.Contains(composed["plugins"]!.AsArray(), p => p!["id"]!.GetValue<string>() == StaleId && p["config"]!["minute"]!.GetValue<string>() == "abc");

        // A PATCH validates the merged result: one that leaves the error is refused, one that fixes it takes the plugin off the list.
        var still = await (await api.PatchJsonAsync($"{root}/plugins/{StaleId}", """{"config":{"hour":100}}""")).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains(("config.minute", "expected a number"), Details(still));
        var fixedUp = await (await api.PatchJsonAsync($"{root}/plugins/{StaleId}", """{"config":{"minute":5}}""")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(5, fixedUp.GetProperty("config").GetProperty("minute").GetInt32());
        Assert.Equal(-1, fixedUp.GetProperty("config").GetProperty("sync_rate").GetInt32());
        Assert.Equal([RetiredId], (await InvalidAsync(api, root)).Select(i => i.GetProperty("plugin").GetProperty("id").GetString()));

        // A plugin whose name is unknown cannot be patched by that name; a PUT replaces it with a known plugin.
        var refused = await (await api.PatchJsonAsync($"{root}/plugins/{RetiredId}", """{"enabled":false}""")).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal([("name", "plugin 'retired-plugin' not enabled; add it to the 'plugins' configuration property")], Details(refused));
        await (await api.PutJsonAsync($"{root}/plugins/{RetiredId}", """{"name":"request-termination","config":{"status_code":410}}""")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(await InvalidAsync(api, root));
    }

    [Fact]
    public async Task The_check_answers_an_empty_list_for_valid_plugins_and_404_for_a_control_plane_that_is_not_there()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var root = await app.CreateControlPlaneAsync("all-valid");
        foreach (var body in new[]
        {
            """{"name":"rate-limiting","config":{"minute":5,"policy":"redis","redis":{"host":"redis.internal"}}}""",
            """{"name":"key-auth"}""",
            """{"name":"aws-lambda","config":{"aws_region":"us-east-1","function_name":"f"}}""",
            """{"name":"session"}""",
            """{"name":"file-log","config":{"path":"/tmp/kong.log"}}""",
        })
        {
            await (await app.Client.PostJsonAsync(root + "/plugins", body)).ExpectAsync(HttpStatusCode.Created);
        }
        Assert.Empty(await InvalidAsync(app.Client, root));
        await (await app.Client.GetAsync($"/v2/control-planes/{Guid.NewGuid()}/core-entities/invalid-plugins", Ct)).ExpectAsync(HttpStatusCode.NotFound);
    }

    private static async Task<JsonObject> ExportWhenAsync(HttpClient api, Guid cp, Func<JsonObject, bool> ready)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var config = JsonNode.Parse((await (await api.GetAsync($"/v2/control-planes/{cp}/declarative-config", Ct)).ExpectAsync(HttpStatusCode.OK)).GetRawText())!.AsObject();
            if (ready(config))
            {
                return config;
            }
            Assert.True(DateTime.UtcNow < deadline, $"the snapshot never got there: {config.ToJsonString()}");
            await Task.Delay(50, Ct);
        }
    }
}
