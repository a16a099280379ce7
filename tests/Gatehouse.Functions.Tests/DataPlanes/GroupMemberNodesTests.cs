using System.Net;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests.DataPlanes;

/// <summary>Konnect's rule: a control plane with data plane nodes cannot join a group.</summary>
public sealed class GroupMemberNodesTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_control_plane_with_nodes_cannot_join_a_group_until_they_are_gone()
    {
        await using var kit = await DataPlaneKit.StartAsync(storage);
        var member = await kit.CreateControlPlaneAsync("has-nodes");
        var group = await kit.CreateControlPlaneAsync("wants-it", group: true);
        var (dp, _) = await kit.ConnectAsync(member);
        var node = Guid.NewGuid();
        await (await dp.PostJsonAsync("/v1/dp/heartbeat", DataPlaneKit.Heartbeat(node))).ExpectAsync(HttpStatusCode.OK);

        var body = $$"""{"members":[{"id":"{{member}}"}]}""";
        var refused = await (await kit.Admin.PostJsonAsync($"/v2/control-planes/{group}/group-memberships/add", body)).InvalidParametersAsync();
        Assert.Contains(refused, p => p.Field == "members[0].id" && p.Reason.Contains("data plane node", StringComparison.Ordinal));
        await (await kit.Admin.PutJsonAsync($"/v2/control-planes/{group}/group-memberships", body)).InvalidParametersAsync();

        await (await kit.Admin.DeleteAsync($"/v2/control-planes/{member}/nodes/{node}", Ct)).ExpectAsync(HttpStatusCode.NoContent);
        await (await kit.Admin.PostJsonAsync($"/v2/control-planes/{group}/group-memberships/add", body)).ExpectAsync(HttpStatusCode.NoContent);
    }
}
