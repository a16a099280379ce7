using System.Net;
using Gatehouse.Core.Versions;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests;

/// <summary>
/// The rollout endpoints on the real app: policies read strictly, a policy on a control plane or a
/// group, a rollout that starts when the snapshot moves, and the snapshots it serves kept by retention.
/// </summary>
public sealed class RolloutApiTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Cp(string root) => root.Split('/')[3];

    private static async Task<string> HashAsync(RunningApp app, string cp) =>
        (await (await app.Client.GetAsync($"/v2/control-planes/{cp}/expected-config-hash", Ct)).ExpectAsync(HttpStatusCode.OK))
            .GetProperty("expected_hash").GetString()!;

    [Fact]
    public async Task A_policy_is_read_strictly_and_without_one_the_rollout_is_not_found()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var cp = Cp(await app.CreateControlPlaneAsync("rollout-policy"));
        var policy = $"/v2/control-planes/{cp}/rollout-policy";

        await (await app.Client.GetAsync(policy, Ct)).ExpectAsync(HttpStatusCode.NotFound);
        await (await app.Client.GetAsync($"/v2/control-planes/{cp}/rollout", Ct)).ExpectAsync(HttpStatusCode.NotFound);
        await (await app.Client.DeleteAsync(policy, Ct)).ExpectAsync(HttpStatusCode.NotFound);
        await (await app.Client.PostAsync($"/v2/control-planes/{cp}/rollout/promote", null, Ct)).ExpectAsync(HttpStatusCode.NotFound);

        var wrong = await (await app.Client.PutJsonAsync(policy,
            """{"canary_percentage":101,"canary_node_ids":["not-a-uuid"],"auto_promote":"yes","surprise":1}""")).InvalidParametersAsync();
        Assert.Equal(["auto_promote", "bake_time_seconds", "canary_node_ids[0]", "canary_percentage", "surprise"], wrong.Select(p => p.Field).Order(StringComparer.Ordinal));
        var chooseNone = await (await app.Client.PutJsonAsync(policy, """{"bake_time_seconds":60}""")).InvalidParametersAsync();
        Assert.Equal("canary_labels", Assert.Single(chooseNone).Field);
        await (await app.Client.PutJsonAsync($"/v2/control-planes/{Guid.NewGuid()}/rollout-policy", """{"bake_time_seconds":60,"canary_percentage":5}"""))
            .ExpectAsync(HttpStatusCode.NotFound);

        var put = await (await app.Client.PutJsonAsync(policy, """{"canary_percentage":25,"bake_time_seconds":60}""")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(put.GetProperty("auto_promote").GetBoolean());
        Assert.Equal(25, (await (await app.Client.GetAsync(policy, Ct)).ExpectAsync(HttpStatusCode.OK)).GetProperty("canary_percentage").GetInt32());
        var idle = await (await app.Client.GetAsync($"/v2/control-planes/{cp}/rollout", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(("idle", await HashAsync(app, cp)), (idle.GetProperty("state").GetString(), idle.GetProperty("stable_config_hash").GetString()));
        await (await app.Client.PostAsync($"/v2/control-planes/{cp}/rollout/promote", null, Ct)).ExpectAsync(HttpStatusCode.Conflict);
        await (await app.Client.PostAsync($"/v2/control-planes/{cp}/rollout/abort", null, Ct)).ExpectAsync(HttpStatusCode.Conflict);
        await (await app.Client.DeleteAsync(policy, Ct)).ExpectAsync(HttpStatusCode.NoContent);
        await (await app.Client.GetAsync(policy, Ct)).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_moved_snapshot_bakes_as_the_canary_and_retention_keeps_both_it_and_the_stable_one()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var cp = Cp(await app.CreateControlPlaneAsync("rollout-bake"));
        var stable = await HashAsync(app, cp);
        await (await app.Client.PutJsonAsync($"/v2/control-planes/{cp}/rollout-policy", """{"canary_labels":{"ring":"canary"},"bake_time_seconds":3600}"""))
            .ExpectAsync(HttpStatusCode.OK);
        await (await app.Client.PostJsonAsync($"/v2/control-planes/{cp}/core-entities/services", """{"name":"a","host":"a.internal"}"""))
            .ExpectAsync(HttpStatusCode.Created);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await HashAsync(app, cp) == stable)
        {
            Assert.True(DateTime.UtcNow < deadline, "the snapshot did not move");
            await Task.Delay(100, Ct);
        }
        var canary = await HashAsync(app, cp);

        var baking = await (await app.Client.GetAsync($"/v2/control-planes/{cp}/rollout", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(("baking", stable, canary), (baking.GetProperty("state").GetString(),
            baking.GetProperty("stable_config_hash").GetString(), baking.GetProperty("canary_config_hash").GetString()));
        Assert.Empty(baking.GetProperty("canary_nodes").EnumerateArray());
        var served = await app.Services.GetRequiredService<IRolloutSnapshots>().ServedHashesAsync(Guid.Parse(cp), Ct);
        Assert.Equal(new[] { stable, canary }.Order(StringComparer.Ordinal), served.Order(StringComparer.Ordinal));

        var aborted = await (await app.Client.PostAsync($"/v2/control-planes/{cp}/rollout/abort", null, Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("aborted by an operator", aborted.GetProperty("reason").GetString());
        Assert.Equal([stable], await app.Services.GetRequiredService<IRolloutSnapshots>().ServedHashesAsync(Guid.Parse(cp), Ct));
    }

    [Fact]
    public async Task A_group_takes_a_policy_as_a_control_plane_does()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var group = (await (await app.Client.PostJsonAsync("/v2/control-planes", """{"name":"rollout-group","cluster_type":"CLUSTER_TYPE_CONTROL_PLANE_GROUP"}"""))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        await (await app.Client.PutJsonAsync($"/v2/control-planes/{group}/rollout-policy", """{"canary_percentage":10,"bake_time_seconds":0}"""))
            .ExpectAsync(HttpStatusCode.OK);
        var idle = await (await app.Client.GetAsync($"/v2/control-planes/{group}/rollout", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("idle", idle.GetProperty("state").GetString());
    }
}
