using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests.DataPlanes;

/// <summary>
/// A staged rollout as the data plane API serves it, over real TLS on Azurite: the config pull's
/// ETag is each node's target, and a canary whose heartbeat shows it cannot run the canary rolls it back.
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
}
