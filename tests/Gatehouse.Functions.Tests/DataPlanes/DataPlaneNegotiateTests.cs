using System.Net;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests.DataPlanes;

/// <summary><c>POST /v1/dp/negotiate</c>: the pinned certificate gets a hub URL and a token scoped to its control plane and node.</summary>
public sealed class DataPlaneNegotiateTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_pinned_data_plane_negotiates_its_hub_and_nothing_else_does()
    {
        await using var kit = await DataPlaneKit.StartAsync(storage);
        var cp = await kit.CreateControlPlaneAsync("negotiating");
        var (dp, _) = await kit.ConnectAsync(cp);
        var node = Guid.NewGuid();

        using var response = await dp.PostAsync($"/v1/dp/negotiate?node_id={node}", null, Ct);
        var hub = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.EndsWith("/v1/dp/hub", new Uri(hub.GetProperty("url").GetString()!).AbsolutePath);
        var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(hub.GetProperty("accessToken").GetString());
        Assert.Contains(token.Claims, c => c.Value.Contains(cp.ToString("N"), StringComparison.Ordinal) || c.Value.Contains(cp.ToString(), StringComparison.Ordinal));
        Assert.True(token.ValidTo > DateTime.UtcNow && token.ValidTo <= DateTime.UtcNow.AddHours(1).AddMinutes(1));

        await (await dp.PostAsync("/v1/dp/negotiate", null, Ct)).ExpectAsync(HttpStatusCode.BadRequest);
        var anonymous = kit.DataPlane(certificate: null);
        await (await anonymous.PostAsync($"/v1/dp/negotiate?node_id={node}", null, Ct)).ExpectAsync(HttpStatusCode.Unauthorized);
        // The admin token is no data plane credential.
        await (await kit.Admin.PostAsync($"/v1/dp/negotiate?node_id={node}", null, Ct)).ExpectAsync(HttpStatusCode.Unauthorized);
    }
}
