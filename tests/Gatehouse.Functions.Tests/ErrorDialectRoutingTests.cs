using System.Net;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests;

/// <summary>
/// Each route group answers in its own error dialect, chosen from its endpoints' metadata: also
/// for requests none of its routes take (404, 405 with Allow) and for ones refused before any
/// route runs (no token).
/// </summary>
public sealed class ErrorDialectRoutingTests(StorageFixture storage) : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private RunningApp _app = null!;
    private string _controlPlane = "";

    public async ValueTask InitializeAsync()
    {
        _app = await RunningApp.StartAsync(storage);
        _controlPlane = (await (await _app.Client.PostJsonAsync("/v2/control-planes", """{"name":"dialects"}""")).ExpectAsync(HttpStatusCode.Created))
            .GetProperty("id").GetString()!;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Core_entities_answer_paths_and_methods_no_route_takes_in_kongs_dialect()
    {
        var root = $"/v2/control-planes/{_controlPlane}/core-entities";
        await AssertKongAsync(await Send(HttpMethod.Get, root + "/not-an-entity"), HttpStatusCode.NotFound, 5);
        await AssertKongAsync(await Send(HttpMethod.Get, root + "/services/x/not-children"), HttpStatusCode.NotFound, 5);
        await AssertKongAsync(await Send(HttpMethod.Get, root), HttpStatusCode.NotFound, 5);

        var put = await Send(HttpMethod.Put, root + "/services");
        await AssertKongAsync(put, HttpStatusCode.MethodNotAllowed, 12);
        Assert.Equal(["GET", "POST"], put.Content.Headers.Allow);
        // Membership is deleted, never read or replaced, one member at a time.
        var read = await Send(HttpMethod.Get, root + "/consumer_groups/g/consumers/c");
        await AssertKongAsync(read, HttpStatusCode.MethodNotAllowed, 12);
        Assert.Equal(["DELETE"], read.Content.Headers.Allow);

        var anonymous = await (await _app.Anonymous.GetAsync(root + "/not-an-entity", Ct)).ExpectAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(401, anonymous.GetProperty("status").GetInt32());
        Assert.Equal("Unauthorized", anonymous.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Control_planes_answer_paths_and_methods_no_route_takes_with_problem_json()
    {
        var unknown = await Send(HttpMethod.Get, $"/v2/control-planes/{_controlPlane}/no-such-thing");
        Assert.Equal(404, (await unknown.ExpectAsync(HttpStatusCode.NotFound)).GetProperty("status").GetInt32());
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);

        var put = await Send(HttpMethod.Put, "/v2/control-planes");
        Assert.Equal(405, (await put.ExpectAsync(HttpStatusCode.MethodNotAllowed)).GetProperty("status").GetInt32());
        Assert.Equal("application/problem+json", put.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["GET", "POST"], put.Content.Headers.Allow);

        var anonymous = await _app.Anonymous.GetAsync($"/v2/control-planes/{_controlPlane}/no-such-thing", Ct);
        Assert.Equal(401, (await anonymous.ExpectAsync(HttpStatusCode.Unauthorized)).GetProperty("status").GetInt32());
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Nodes_dp_certificates_and_the_data_plane_api_answer_with_a_message_only()
    {
        var nodes = $"/v2/control-planes/{_controlPlane}/nodes";
        await AssertLegacyAsync(await Send(HttpMethod.Get, nodes + "/x/y"), HttpStatusCode.NotFound);
        var patch = await Send(HttpMethod.Patch, $"{nodes}/{Guid.NewGuid()}");
        await AssertLegacyAsync(patch, HttpStatusCode.MethodNotAllowed);
        Assert.Equal(["GET", "DELETE"], patch.Content.Headers.Allow);
        await AssertLegacyAsync(await _app.Anonymous.GetAsync(nodes + "/x/y", Ct), HttpStatusCode.Unauthorized);

        var certificates = $"/v2/control-planes/{_controlPlane}/dp-client-certificates";
        await AssertLegacyAsync(await Send(HttpMethod.Patch, certificates), HttpStatusCode.MethodNotAllowed);
        await AssertLegacyAsync(await _app.Anonymous.GetAsync(certificates + "/x/y", Ct), HttpStatusCode.Unauthorized);

        // No client certificate: refused by the data plane API's authentication, in its dialect, route or not.
        await AssertLegacyAsync(await _app.Anonymous.GetAsync("/v1/dp/no-such-thing", Ct), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_error_inside_a_route_is_answered_in_its_groups_dialect()
    {
        // The same refusal (a control plane id that is no UUID) in each dialect.
        await AssertKongAsync(await Send(HttpMethod.Get, "/v2/control-planes/not-a-uuid/core-entities/services"), HttpStatusCode.BadRequest, 3);
        await AssertLegacyAsync(await Send(HttpMethod.Get, "/v2/control-planes/not-a-uuid/nodes"), HttpStatusCode.BadRequest);
        var problem = await Send(HttpMethod.Get, "/v2/control-planes/not-a-uuid/group-status");
        Assert.Equal("controlPlaneId", (await problem.InvalidParametersAsync()).Single().Field);
    }

    private Task<HttpResponseMessage> Send(HttpMethod method, string path) =>
        _app.Client.SendAsync(new HttpRequestMessage(method, path), Ct);

    private static async Task AssertKongAsync(HttpResponseMessage response, HttpStatusCode status, int code)
    {
        var body = await response.ExpectAsync(status);
        Assert.Equal(code, body.GetProperty("code").GetInt32());
        Assert.True(body.TryGetProperty("message", out _));
    }

    private static async Task AssertLegacyAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.ExpectAsync(status);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["message"], body.EnumerateObject().Select(p => p.Name));
    }
}
