using System.Net;
using System.Text.Json;
using Gatehouse.Testing;
using Gatehouse.Testing.OpenApi;

namespace Gatehouse.Functions.Tests;

public sealed class GroupApiTests(StorageFixture storage) : IAsyncLifetime
{
    private RunningApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await RunningApp.StartAsync(storage);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private HttpClient Api => _app.Client;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<string> CreateAsync(string name, string clusterType = "CLUSTER_TYPE_CONTROL_PLANE") =>
        (await (await Api.PostJsonAsync("/v2/control-planes", $$"""{"name":"{{name}}","cluster_type":"{{clusterType}}"}""")).ExpectAsync(HttpStatusCode.Created))
            .GetProperty("id").GetString()!;

    private static string Members(params string[] ids) => JsonSerializer.Serialize(new { members = ids.Select(id => new { id }) });

    private async Task<HttpResponseMessage> AddAsync(string group, params string[] members) =>
        await Api.PostJsonAsync($"/v2/control-planes/{group}/group-memberships/add", Members(members));

    private async Task<List<string>> MembersOfAsync(string group)
    {
        var response = await Api.GetAsync($"/v2/control-planes/{group}/group-memberships", Ct);
        var page = await response.ExpectAsync(HttpStatusCode.OK);
        return [.. page.GetProperty("data").EnumerateArray().Select(cp => cp.GetProperty("id").GetString()!)];
    }

    [Fact]
    public async Task Members_are_added_listed_removed_and_replaced()
    {
        var group = await CreateAsync("g-basic", "CLUSTER_TYPE_CONTROL_PLANE_GROUP");
        var (a, b, c) = (await CreateAsync("m-a"), await CreateAsync("m-b"), await CreateAsync("m-c"));

        await (await AddAsync(group, a, b)).ExpectAsync(HttpStatusCode.NoContent);
        await (await AddAsync(group, a)).ExpectAsync(HttpStatusCode.NoContent);
        Assert.Equal(new[] { a, b }.Order(), (await MembersOfAsync(group)).Order());

        var status = await (await Api.GetAsync($"/v2/control-planes/{a}/group-member-status", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.True(status.GetProperty("is_member").GetBoolean());
        Assert.False((await (await Api.GetAsync($"/v2/control-planes/{c}/group-member-status", Ct)).ExpectAsync(HttpStatusCode.OK)).GetProperty("is_member").GetBoolean());

        await (await Api.PostJsonAsync($"/v2/control-planes/{group}/group-memberships/remove", Members(a))).ExpectAsync(HttpStatusCode.NoContent);
        Assert.Equal([b], await MembersOfAsync(group));

        await (await Api.PutJsonAsync($"/v2/control-planes/{group}/group-memberships", Members(a, c))).ExpectAsync(HttpStatusCode.NoContent);
        Assert.Equal(new[] { a, c }.Order(), (await MembersOfAsync(group)).Order());
        await (await Api.PutJsonAsync($"/v2/control-planes/{group}/group-memberships", Members())).ExpectAsync(HttpStatusCode.NoContent);
        Assert.Empty(await MembersOfAsync(group));
    }

    [Fact]
    public async Task Member_lists_page_with_a_cursor_and_validate_against_the_spec()
    {
        var group = await CreateAsync("g-paged", "CLUSTER_TYPE_CONTROL_PLANE_GROUP");
        var members = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            members.Add(await CreateAsync($"paged-{i}"));
        }
        await (await AddAsync(group, [.. members])).ExpectAsync(HttpStatusCode.NoContent);

        var seen = new List<string>();
        var path = $"/v2/control-planes/{group}/group-memberships?page[size]=2";
        var first = true;
        while (path is not null)
        {
            var response = await Api.GetAsync(path, Ct);
            await OpenApiAssert.ValidResponseAsync(ReferenceSpecs.ControlPlanes, "GET", "/control-planes/{controlPlaneId}/group-memberships", response, Ct);
            var page = await response.JsonAsync();
            var meta = page.GetProperty("meta").GetProperty("page");
            Assert.Equal(first, meta.TryGetProperty("total", out _));
            seen.AddRange(page.GetProperty("data").EnumerateArray().Select(cp => cp.GetProperty("id").GetString()!));
            path = meta.GetProperty("next").GetString();
            first = false;
        }
        Assert.Equal(members.Order(), seen.Order());

        var status = await Api.GetAsync($"/v2/control-planes/{members[0]}/group-member-status", Ct);
        await OpenApiAssert.ValidResponseAsync(ReferenceSpecs.ControlPlanes, "GET", "/control-planes/{controlPlaneId}/group-member-status", status, Ct);
    }

    [Fact]
    public async Task The_rules_are_refused_naming_the_member_and_the_reason()
    {
        var group = await CreateAsync("g-rules", "CLUSTER_TYPE_CONTROL_PLANE_GROUP");
        var otherGroup = await CreateAsync("g-nested", "CLUSTER_TYPE_CONTROL_PLANE_GROUP");
        var standard = await CreateAsync("plain");
        var kic = await CreateAsync("kic-cp", "CLUSTER_TYPE_K8S_INGRESS_CONTROLLER");

        Assert.Contains(await (await AddAsync(group, otherGroup)).InvalidParametersAsync(), p => p.Field == "members[0].id" && p.Reason.Contains("groups cannot be members"));
        Assert.Contains(await (await AddAsync(group, kic)).InvalidParametersAsync(), p => p.Field == "members[0].id" && p.Reason.Contains("CLUSTER_TYPE_K8S_INGRESS_CONTROLLER"));
        Assert.Contains(await (await AddAsync(group, Guid.NewGuid().ToString())).InvalidParametersAsync(), p => p is { Field: "members[0].id", Rule: "missing_reference" });
        Assert.Contains(await (await AddAsync(standard, standard)).InvalidParametersAsync(), p => p.Field == "controlPlaneId" && p.Reason.Contains("not a control plane group"));
        Assert.Contains(await (await AddAsync(group, [.. Enumerable.Range(0, 51).Select(_ => Guid.NewGuid().ToString())])).InvalidParametersAsync(),
            p => p is { Field: "members", Rule: "max_items" });
        Assert.Contains(await (await Api.PostJsonAsync($"/v2/control-planes/{group}/group-memberships/add", """{"members":[{"id":"nope"}]}""")).InvalidParametersAsync(),
            p => p is { Field: "members[0].id", Rule: "is_uuid" });
        Assert.Contains(await (await Api.PostJsonAsync($"/v2/control-planes/{group}/group-memberships/add", """{}""")).InvalidParametersAsync(),
            p => p is { Field: "members", Rule: "required" });

        // Five groups at most per control plane.
        var busy = await CreateAsync("busy-member");
        for (var i = 0; i < 5; i++)
        {
            await (await AddAsync(await CreateAsync($"g-five-{i}", "CLUSTER_TYPE_CONTROL_PLANE_GROUP"), busy)).ExpectAsync(HttpStatusCode.NoContent);
        }
        Assert.Contains(await (await AddAsync(group, busy)).InvalidParametersAsync(), p => p.Reason.Contains("already in 5 groups"));
        Assert.Empty(await MembersOfAsync(group));
    }

    [Fact]
    public async Task A_group_with_members_cannot_be_deleted_and_a_deleted_member_leaves_its_groups()
    {
        var group = await CreateAsync("g-delete", "CLUSTER_TYPE_CONTROL_PLANE_GROUP");
        var (member, other) = (await CreateAsync("leaving"), await CreateAsync("staying"));
        await (await AddAsync(group, member, other)).ExpectAsync(HttpStatusCode.NoContent);

        var refused = await (await Api.DeleteAsync($"/v2/control-planes/{group}", Ct)).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("still has 2 members", refused.GetProperty("detail").GetString());

        await (await Api.DeleteAsync($"/v2/control-planes/{member}", Ct)).ExpectAsync(HttpStatusCode.NoContent);
        Assert.Equal([other], await MembersOfAsync(group));

        await (await Api.PostJsonAsync($"/v2/control-planes/{group}/group-memberships/remove", Members(other))).ExpectAsync(HttpStatusCode.NoContent);
        await (await Api.DeleteAsync($"/v2/control-planes/{group}", Ct)).ExpectAsync(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Concurrent_adds_never_exceed_the_five_group_limit()
    {
        var member = await CreateAsync("contended");
        var groups = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            groups.Add(await CreateAsync($"g-race-{i}", "CLUSTER_TYPE_CONTROL_PLANE_GROUP"));
        }
        var responses = await Task.WhenAll(groups.Select(g => AddAsync(g, member)));
        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.NoContent));
        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.BadRequest));
    }
}
