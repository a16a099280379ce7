using System.Net;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests.DataPlanes;

/// <summary>
/// <c>POST .../dp-quickstart</c>'s edges on a real Kestrel and Azurite: what does not exist, what
/// the request may set, and groups, which take certificates (their data planes attach to them).
/// </summary>
public sealed class DpQuickStartApiTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_unknown_or_malformed_control_plane_is_a_404_and_mints_nothing()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var unknown = await (await app.Client.PostAsync($"/v2/control-planes/{Guid.NewGuid()}/dp-quickstart", null, Ct)).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Contains("not found", unknown.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        var malformed = await (await app.Client.PostAsync("/v2/control-planes/not-a-uuid/dp-quickstart", null, Ct)).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Contains("ids are UUIDs", malformed.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_title_and_validity_are_the_generate_endpoints_and_checked_as_there()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var cp = (await (await app.Client.PostJsonAsync("/v2/control-planes", """{"name":"qs-body"}""")).ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetString();
        var bad = await (await app.Client.PostJsonAsync($"/v2/control-planes/{cp}/dp-quickstart", """{"validity_months":0}""")).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("validity_months", bad.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, (await (await app.Client.GetAsync($"/v2/control-planes/{cp}/dp-client-certificates", Ct)).ExpectAsync(HttpStatusCode.OK))
            .GetProperty("page").GetProperty("total_count").GetInt32());

        var quick = await (await app.Client.PostJsonAsync($"/v2/control-planes/{cp}/dp-quickstart", """{"title":"edge","validity_months":2}""")).ExpectAsync(HttpStatusCode.Created);
        var certificate = quick.GetProperty("certificate");
        Assert.Equal("edge", certificate.GetProperty("title").GetString());
        var lifetime = certificate.GetProperty("cert_details").GetProperty("expiry_timestamp").GetInt64() - certificate.GetProperty("created_at").GetInt64();
        Assert.InRange(lifetime, TimeSpan.FromDays(58).TotalSeconds, TimeSpan.FromDays(63).TotalSeconds);
        // Untitled, a quick start's certificate says where it came from.
        var untitled = await (await app.Client.PostAsync($"/v2/control-planes/{cp}/dp-quickstart", null, Ct)).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("quick start", untitled.GetProperty("certificate").GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_group_gets_a_quick_start_as_it_gets_certificates()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var group = (await (await app.Client.PostJsonAsync("/v2/control-planes", """{"name":"qs-group","cluster_type":"CLUSTER_TYPE_CONTROL_PLANE_GROUP"}"""))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetString();
        var quick = await (await app.Client.PostAsync($"/v2/control-planes/{group}/dp-quickstart", null, Ct)).ExpectAsync(HttpStatusCode.Created);
        var id = quick.GetProperty("certificate").GetProperty("id").GetString();
        await (await app.Client.GetAsync($"/v2/control-planes/{group}/dp-client-certificates/{id}", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(group!, quick.GetProperty("docker_script").GetString(), StringComparison.Ordinal);
    }
}
