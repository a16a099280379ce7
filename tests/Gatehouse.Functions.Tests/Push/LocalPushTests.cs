using System.Buffers.Text;
using System.Net;
using System.Text.Json;
using Gatehouse.Core.DataPlanes.Push;
using Gatehouse.Functions.DataPlanes.Push;
using Gatehouse.Functions.Tests.DataPlanes;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests.Push;

/// <summary>
/// Push through the in-process hub, to the official SignalR JavaScript client: the app, Azurite,
/// and a Node process per data plane listener, all real.
/// </summary>
public sealed class LocalPushTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_write_is_pushed_to_its_control_plane_and_its_groups_with_the_hash_the_snapshot_then_has_and_to_no_one_else()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var a = await CreateAsync(app, "pushed");
        var b = await CreateAsync(app, "bystander");
        var group = await CreateAsync(app, "pushed-group", group: true);
        await (await app.Client.PostJsonAsync($"/v2/control-planes/{group}/group-memberships/add", $$"""{"members":[{"id":"{{a}}"}]}""")).ExpectAsync(HttpStatusCode.NoContent);

        var negotiator = app.Services.GetRequiredService<IDataPlaneNegotiator>();
        var toA = await negotiator.NegotiateAsync(a, "node-a", Ct);
        Assert.Equal(new Uri(app.Client.BaseAddress!, LocalDataPlaneHub.Path), toA.Url);
        await using var listenerA = NodeHubListener.Start(toA.Url, toA.AccessToken);
        var toB = await negotiator.NegotiateAsync(b, "node-b", Ct);
        await using var listenerB = NodeHubListener.Start(toB.Url, toB.AccessToken);
        var toGroup = await negotiator.NegotiateAsync(group, "node-g", Ct);
        await using var listenerGroup = NodeHubListener.Start(toGroup.Url, toGroup.AccessToken);
        var transport = (await listenerA.ExpectAsync("connected")).GetProperty("transport").GetString();
        Assert.Equal("WebSocketTransport", transport);
        await listenerB.ExpectAsync("connected");
        await listenerGroup.ExpectAsync("connected");

        await (await app.Client.PostJsonAsync($"/v2/control-planes/{a}/core-entities/services", """{"name":"orders","host":"orders.internal"}""")).ExpectAsync(HttpStatusCode.Created);

        // Each listener hears its own control plane's new snapshot, by the hash the API then serves.
        await PushOfAsync(app, listenerA, a, config => ServiceNames(config).SequenceEqual(["orders"]));
        await PushOfAsync(app, listenerGroup, group, config => ServiceNames(config).SequenceEqual(["orders"]));

        // B heard nothing of A's (anything it hears is its own) ...
        while (await listenerB.NextOrNullAsync(TimeSpan.FromSeconds(1.5)) is { } heard)
        {
            Assert.Equal(b, Message(heard).ControlPlaneId);
        }
        // ... and was listening all along: its own write reaches it.
        await (await app.Client.PostJsonAsync($"/v2/control-planes/{b}/core-entities/services", """{"name":"billing","host":"billing.internal"}""")).ExpectAsync(HttpStatusCode.Created);
        await PushOfAsync(app, listenerB, b, config => ServiceNames(config).SequenceEqual(["billing"]));
        Assert.Null(await listenerA.NextOrNullAsync(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task The_official_client_given_what_POST_v1_dp_negotiate_answered_connects_and_hears_its_control_plane()
    {
        await using var kit = await DataPlaneKit.StartAsync(storage);
        var cp = await kit.CreateControlPlaneAsync("negotiated-by-certificate");
        var (dp, _) = await kit.ConnectAsync(cp);
        using var response = await dp.PostAsync($"/v1/dp/negotiate?node_id={Guid.NewGuid()}", null, Ct);
        var hub = await response.ExpectAsync(HttpStatusCode.OK);
        var url = new Uri(hub.GetProperty("url").GetString()!);
        // The hub is on the endpoint the data plane asked (the DP HTTPS one), as a sidecar would find it.
        Assert.Equal(kit.App.DataPlaneAddress!.Authority, url.Authority);

        await using var listener = NodeHubListener.Start(url, hub.GetProperty("accessToken").GetString()!, trustAnyServerCertificate: true);
        Assert.Equal("WebSocketTransport", (await listener.ExpectAsync("connected")).GetProperty("transport").GetString());
        await kit.PostEntityAsync(cp, "/services", """{"name":"orders","host":"orders.internal"}""");
        await PushOfAsync(kit.App, listener, cp, config => ServiceNames(config).SequenceEqual(["orders"]));
    }

    [Fact]
    public async Task Listeners_cannot_invoke_anything_on_the_hub()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var cp = await CreateAsync(app, "listen-only");
        var info = await app.Services.GetRequiredService<IDataPlaneNegotiator>().NegotiateAsync(cp, "node-1", Ct);

        foreach (var method in new[] { "OnConnectedAsync", DataPlaneHub.ConfigUpdatedTarget, "SendAsync" })
        {
            await using var listener = NodeHubListener.Start(info.Url, info.AccessToken, invoke: method);
            await listener.ExpectAsync("connected");
            var failed = await listener.ExpectAsync("invoke-failed");
            Assert.Contains("Method does not exist", failed.GetProperty("error").GetString());
        }
    }

    [Fact]
    public async Task Expired_forged_altered_and_missing_tokens_are_refused()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var cp = await CreateAsync(app, "guarded");
        var tokens = app.Services.GetRequiredService<LocalHubTokens>();
        var hub = new Uri(app.Client.BaseAddress!, LocalDataPlaneHub.Path);

        var good = tokens.Issue(cp, "node-1");
        var parts = good.Split('.');
        var payload = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Base64Url.DecodeFromChars(parts[1]))!;
        payload[LocalHubTokens.ControlPlaneClaim] = JsonSerializer.SerializeToElement(Guid.NewGuid().ToString("D"));
        var altered = $"{parts[0]}.{Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(payload))}.{parts[2]}";

        foreach (var (why, token) in new[]
        {
            ("expired", tokens.Issue(cp, "node-1", issuedAt: DateTimeOffset.UtcNow - DataPlaneHub.TokenLifetime - TimeSpan.FromMinutes(2))),
            ("signed with another key", new LocalHubTokens(TimeProvider.System).Issue(cp, "node-1")),
            ("altered after signing", altered),
            ("missing", ""),
        })
        {
            await using var listener = NodeHubListener.Start(hub, token);
            var refused = await listener.ExpectAsync("refused");
            // The client wraps the negotiate request's failure: "...: Error: Unauthorized: Status code '401'".
            Assert.True(refused.GetProperty("error").GetString()!.Contains("Status code '401'", StringComparison.Ordinal), $"{why}: {refused.GetRawText()}");
        }

        // The same hub takes a token it issued.
        await using var accepted = NodeHubListener.Start(hub, good);
        await accepted.ExpectAsync("connected");
    }

    [Fact]
    public async Task A_node_id_that_cannot_name_a_hub_user_is_refused_before_a_token_names_it()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var negotiator = app.Services.GetRequiredService<IDataPlaneNegotiator>();
        foreach (var nodeId in new[] { "", "has space", "slash/ed", new string('n', 129) })
        {
            await Assert.ThrowsAsync<Gatehouse.Core.Validation.RequestInvalidException>(() => negotiator.NegotiateAsync(Guid.NewGuid(), nodeId, Ct));
        }
    }

    private static async Task<Guid> CreateAsync(RunningApp app, string name, bool group = false)
    {
        var created = await (await app.Client.PostJsonAsync("/v2/control-planes",
            $$"""{"name":"{{name}}","cluster_type":"{{(group ? "CLUSTER_TYPE_CONTROL_PLANE_GROUP" : "CLUSTER_TYPE_CONTROL_PLANE")}}"}""")).ExpectAsync(HttpStatusCode.Created);
        return Guid.Parse(created.GetProperty("id").GetString()!);
    }

    /// <summary>
    /// Reads the listener's notifications (all for <paramref name="controlPlane"/>) until one names
    /// the snapshot the API serves and that snapshot shows the write. Earlier ones (the empty
    /// snapshot composed at creation, say) may come first, and may be heard after the API already
    /// serves the write's snapshot: a group composed when its member joined is pushed as the member's
    /// write is composed. The push naming the served snapshot follows them.
    /// </summary>
    private static async Task PushOfAsync(RunningApp app, NodeHubListener listener, Guid controlPlane, Func<JsonElement, bool> showsWrite)
    {
        while (true)
        {
            var message = Message(await listener.ExpectAsync("message"));
            Assert.Equal(controlPlane, message.ControlPlaneId);
            var response = await app.Client.GetAsync($"/v2/control-planes/{controlPlane}/declarative-config", Ct);
            var config = await response.ExpectAsync(HttpStatusCode.OK);
            var expected = await (await app.Client.GetAsync($"/v2/control-planes/{controlPlane}/expected-config-hash", Ct)).ExpectAsync(HttpStatusCode.OK);
            if (showsWrite(config) && response.Headers.ETag?.Tag == $"\"{message.ConfigHash}\"")
            {
                Assert.Equal(message.ConfigHash, expected.GetProperty("expected_hash").GetString());
                return;
            }
        }
    }

    private static ConfigUpdated Message(JsonElement heard)
    {
        Assert.Equal("configUpdated", heard.GetProperty("target").GetString());
        var arguments = heard.GetProperty("arguments");
        Assert.Equal(1, arguments.GetArrayLength());
        var body = arguments[0];
        Assert.Equal(["config_hash", "control_plane_id"], body.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        return new ConfigUpdated(Guid.Parse(body.GetProperty("control_plane_id").GetString()!), body.GetProperty("config_hash").GetString()!);
    }

    private static IEnumerable<string> ServiceNames(JsonElement config) =>
        config.TryGetProperty("services", out var services) ? services.EnumerateArray().Select(s => s.GetProperty("name").GetString()!) : [];
}
