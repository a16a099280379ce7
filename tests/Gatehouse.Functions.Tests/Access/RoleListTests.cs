using System.Net;
using Gatehouse.Core.Access;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests.Access;

public sealed class RoleListTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Any_authenticated_caller_reads_the_eleven_control_plane_roles_in_Konnects_shape()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var (_, nobody) = await SystemAccounts.WithRolesAsync(app, "no-roles");
        using var _ = nobody;

        var body = await (await nobody.GetAsync("/v3/roles", Ct)).ExpectAsync(HttpStatusCode.OK);

        var controlPlanes = body.GetProperty("control_planes");
        Assert.Equal("Control Planes", controlPlanes.GetProperty("name").GetString());
        var roles = controlPlanes.GetProperty("roles").EnumerateObject().ToDictionary(r => r.Name, r => r.Value);
        Assert.Equal(
            ["admin", "certificate_admin", "consumer_admin", "creator", "deployer", "gateway_service_admin", "plugin_admin", "route_admin", "sni_admin", "upstream_admin", "viewer"],
            roles.Keys.Order());
        Assert.Equal(ControlPlaneRoles.All.Order(), roles.Values.Select(r => r.GetProperty("name").GetString()!).Order());
        Assert.Equal("This role grants full write access to administer SNIs.", roles["sni_admin"].GetProperty("description").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous.GetAsync("/v3/roles", Ct)).StatusCode);
    }
}
