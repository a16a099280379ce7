using System.Net;
using Gatehouse.Testing;
using Gatehouse.Testing.OpenApi;

namespace Gatehouse.Functions.Tests;

/// <summary>Every control plane answer, success and error, validated against the Konnect Control Planes v2 spec.</summary>
public sealed class ControlPlaneSpecTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task Valid(HttpResponseMessage response, string method, string template) =>
        OpenApiAssert.ValidResponseAsync(ReferenceSpecs.ControlPlanes, method, template, response, Ct);

    [Fact]
    public async Task Successes_and_errors_match_the_spec()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var api = app.Client;

        var created = await api.PostJsonAsync("/v2/control-planes",
            """{"name":"spec-cp","description":"d","labels":{"env":"prod"},"proxy_urls":[{"host":"p.example.com","port":443,"protocol":"https"}]}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await Valid(created, "POST", "/control-planes");
        var id = (await created.JsonAsync()).GetProperty("id").GetString();

        await Valid(await api.GetAsync($"/v2/control-planes/{id}", Ct), "GET", "/control-planes/{controlPlaneId}");
        await Valid(await api.GetAsync("/v2/control-planes?page[size]=1", Ct), "GET", "/control-planes");
        await Valid(await api.PatchJsonAsync($"/v2/control-planes/{id}", """{"description":"changed"}"""), "PATCH", "/control-planes/{controlPlaneId}");

        var conflict = await api.PostJsonAsync("/v2/control-planes", """{"name":"spec-cp"}""");
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        await Valid(conflict, "POST", "/control-planes");

        var invalid = await api.PostJsonAsync("/v2/control-planes", """{"name":"x","labels":{"kong":"1"},"cluster_type":"NOPE","extra":1}""");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        await Valid(invalid, "POST", "/control-planes");

        var missing = await api.GetAsync($"/v2/control-planes/{Guid.NewGuid()}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        await Valid(missing, "GET", "/control-planes/{controlPlaneId}");

        var badId = await api.DeleteAsync("/v2/control-planes/not-a-uuid", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
        await Valid(badId, "DELETE", "/control-planes/{controlPlaneId}");

        var unauthorized = await app.Anonymous.GetAsync("/v2/control-planes", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        await Valid(unauthorized, "GET", "/control-planes");
    }
}
