using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Gatehouse.Functions.Tests.Push;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests.DataPlanes;

/// <summary>
/// A staged rollout as the data plane API serves it, over real TLS on Azurite: the config pull's
/// ETag is each node's target, a canary whose heartbeat shows it cannot run the canary rolls it back,
/// and push (the in-process hub, to the official SignalR client) reaches only the nodes whose target moved.
/// </summary>
public sealed class DataPlaneRolloutTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<HttpResponseMessage> PullAsync(HttpClient dp, Guid node, string? running)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/dp/config?node_id={node}");
        if (running is not null)
        {
            request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{running}\""));
        }
        return await dp.SendAsync(request, Ct);
    }

    private static string? ETag(HttpResponseMessage response) => response.Headers.ETag?.Tag.Trim('"');

    private static async Task<JsonElement> BeatAsync(HttpClient dp, Guid node, string plugins, string hash) =>
        await (await dp.PostJsonAsync("/v1/dp/heartbeat", DataPlaneKit.Heartbeat(node, plugins: plugins, hash: hash))).ExpectAsync(HttpStatusCode.OK);

    [Fact]
    public async Task Each_node_pulls_its_target_and_a_canary_that_cannot_run_the_canary_rolls_it_back()
    {
        await using var kit = await DataPlaneKit.StartAsync(storage);
        var cp = await kit.CreateControlPlaneAsync("dp-rollout");
        await kit.PostEntityAsync(cp, "/services", """{"name":"a","host":"a.internal"}""");
        var (_, stable) = await kit.WaitForConfigAsync(cp, c => c.TryGetProperty("services", out _));
        var (dp, _) = await kit.ConnectAsync(cp);
        var (canary, lacking, other) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        const string WithCors = """[{"name":"cors","version":"3.9.1"}]""";
        await BeatAsync(dp, canary, WithCors, stable);
        await BeatAsync(dp, lacking, "[]", stable);
        await BeatAsync(dp, other, WithCors, stable);
        await (await kit.Admin.PutJsonAsync($"/v2/control-planes/{cp}/rollout-policy",
            JsonSerializer.Serialize(new { canary_node_ids = new[] { canary, lacking }, bake_time_seconds = 3600 }))).ExpectAsync(HttpStatusCode.OK);

        // The next config uses cors, which one canary lacks.
        await kit.PostEntityAsync(cp, "/plugins", """{"name":"cors"}""");
        var (_, next) = await kit.WaitForConfigAsync(cp, c => c.TryGetProperty("plugins", out var p) && p.GetArrayLength() == 1);

        var toCanary = await PullAsync(dp, canary, stable);
        await toCanary.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(next, ETag(toCanary));
        var toOther = await PullAsync(dp, other, stable);
        Assert.Equal((HttpStatusCode.NotModified, stable), (toOther.StatusCode, ETag(toOther)));
        Assert.Equal(stable, (await BeatAsync(dp, other, WithCors, stable)).GetProperty("expected_config_hash").GetString());
        Assert.Equal(next, (await BeatAsync(dp, canary, WithCors, next)).GetProperty("expected_config_hash").GetString());

        // The canary without cors says so in its heartbeat: the rollout is rolled back, and every node's target is the stable config.
        var answer = await BeatAsync(dp, lacking, "[]", stable);
        Assert.Equal(stable, answer.GetProperty("expected_config_hash").GetString());
        var rollout = await (await kit.Admin.GetAsync($"/v2/control-planes/{cp}/rollout", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("rolled_back", rollout.GetProperty("state").GetString());
        Assert.Contains($"canary node {lacking}", rollout.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("plugin_set_incompatible", rollout.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var back = await PullAsync(dp, canary, next);
        await back.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(stable, ETag(back));
        var nodes = await (await kit.Admin.GetAsync($"/v2/control-planes/{cp}/nodes", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.All(nodes.GetProperty("items").EnumerateArray(), n => Assert.Equal(stable, n.GetProperty("expected_config_hash").GetString()));
    }

    [Fact]
    public async Task A_new_canary_is_pushed_to_its_canaries_only_and_its_promotion_to_the_other_nodes()
    {
        await using var kit = await DataPlaneKit.StartAsync(storage);
        var cp = await kit.CreateControlPlaneAsync("dp-rollout-push");
        await kit.PostEntityAsync(cp, "/services", """{"name":"a","host":"a.internal"}""");
        var (_, stable) = await kit.WaitForConfigAsync(cp, c => c.TryGetProperty("services", out _));
        var (dp, _) = await kit.ConnectAsync(cp);
        var (canary, other) = (Guid.NewGuid(), Guid.NewGuid());
        await BeatAsync(dp, canary, "[]", stable);
        await BeatAsync(dp, other, "[]", stable);
        await (await kit.Admin.PutJsonAsync($"/v2/control-planes/{cp}/rollout-policy",
            JsonSerializer.Serialize(new { canary_node_ids = new[] { canary }, bake_time_seconds = 3600, auto_promote = false }))).ExpectAsync(HttpStatusCode.OK);
        await using var toCanary = await ListenAsync(dp, canary);
        await using var toOther = await ListenAsync(dp, other);

        await kit.PostEntityAsync(cp, "/services", """{"name":"b","host":"b.internal"}""");
        var (_, next) = await kit.WaitForConfigAsync(cp, c => c.GetProperty("services").GetArrayLength() == 2);
        Assert.Equal(next, await HeardAsync(toCanary));
        // The stable node is not told of a config it is not served, so it has nothing to ask for again.
        Assert.Null(await toOther.NextOrNullAsync(TimeSpan.FromSeconds(3)));
        Assert.Equal((HttpStatusCode.NotModified, stable), await StatusAndETagAsync(dp, other, stable));

        await (await kit.Admin.PostAsync($"/v2/control-planes/{cp}/rollout/promote", null, Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(next, await HeardAsync(toOther));
        Assert.Equal(HttpStatusCode.OK, (await StatusAndETagAsync(dp, other, stable)).Status);
    }

    /// <summary>A SignalR client connected as <paramref name="node"/>, with what POST /v1/dp/negotiate answered for it.</summary>
    private static async Task<NodeHubListener> ListenAsync(HttpClient dp, Guid node)
    {
        var hub = await (await dp.PostAsync($"/v1/dp/negotiate?node_id={node}", null, Ct)).ExpectAsync(HttpStatusCode.OK);
        var listener = NodeHubListener.Start(new Uri(hub.GetProperty("url").GetString()!), hub.GetProperty("accessToken").GetString()!, trustAnyServerCertificate: true);
        await listener.ExpectAsync("connected");
        return listener;
    }

    private static async Task<string> HeardAsync(NodeHubListener listener) =>
        (await listener.ExpectAsync("message")).GetProperty("arguments")[0].GetProperty("config_hash").GetString()!;

    private static async Task<(HttpStatusCode Status, string? ETag)> StatusAndETagAsync(HttpClient dp, Guid node, string running)
    {
        using var response = await PullAsync(dp, node, running);
        return (response.StatusCode, ETag(response));
    }
}
