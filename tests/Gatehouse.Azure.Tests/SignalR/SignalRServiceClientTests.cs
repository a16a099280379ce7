using System.Text.Json.Nodes;
using Azure;
using Azure.Core;
using Gatehouse.Azure.SignalR;
using Gatehouse.Core.DataPlanes.Push;

namespace Gatehouse.Azure.Tests.SignalR;

/// <summary>The Azure SignalR Service REST client, notifier and negotiator against <see cref="FakeSignalRService"/>.</summary>
public sealed class SignalRServiceClientTests : IAsyncLifetime
{
    private FakeSignalRService _service = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _service = await FakeSignalRService.StartAsync();

    public async ValueTask DisposeAsync() => await _service.DisposeAsync();

    private SignalRServiceClient WithKey(string? connectionString = null, int retries = 0) =>
        new(connectionString ?? _service.ConnectionString, _service.Trusting(new SignalRServiceClientOptions(), retries));

    private SignalRServiceClient WithIdentity(TokenCredential credential, int retries = 0) =>
        new(_service.Endpoint, credential, _service.Trusting(new SignalRServiceClientOptions(), retries));

    private string Url(string pathAndQuery) => _service.Endpoint.AbsoluteUri.TrimEnd('/') + pathAndQuery;

    [Fact]
    public async Task A_send_to_a_group_posts_the_payload_to_its_url_in_the_sdks_api_version_signed_for_that_url()
    {
        var cp = Guid.NewGuid();
        var response = await WithKey().SendToGroupAsync("DataPlane", $"cp-{cp}", "configUpdated", [new ConfigUpdated(cp, "0123abcd")], Ct);

        Assert.Equal(202, response.Status);
        var send = Assert.Single(_service.Sends);
        Assert.Equal(new FakeSignalRService.Send("dataplane", $"cp-{cp}", "2022-06-01",
            $$"""{"target":"configUpdated","arguments":[{"control_plane_id":"{{cp}}","config_hash":"0123abcd"}]}"""), send);
        Assert.Equal(($"POST /api/hubs/dataplane/groups/cp-{cp}/:send?api-version=2022-06-01", 202), Assert.Single(_service.Requests));
        // The fake took the token only for this URL; its lifetime is short.
        var claims = Assert.Single(_service.AcceptedKeyTokens);
        Assert.Equal(Url($"/api/hubs/dataplane/groups/cp-{cp}/:send?api-version=2022-06-01"), claims["aud"]!.GetValue<string>());
        Assert.InRange(DateTimeOffset.FromUnixTimeSeconds(claims["exp"]!.GetValue<long>()), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(6));
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_refused_and_surfaces_as_a_request_failure()
    {
        var other = $"Endpoint={_service.Endpoint.AbsoluteUri.TrimEnd('/')};AccessKey={Convert.ToBase64String(new byte[32])};Version=1.0;";
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => WithKey(other).SendToGroupAsync("dataplane", "g", "t", [], Ct));
        Assert.Equal(401, error.Status);
        Assert.Equal("Unauthorized", error.ErrorCode);
        Assert.Empty(_service.Sends);
    }

    [Theory]
    [InlineData(400, "InvalidGroupName")]
    [InlineData(403, "Forbidden")]
    [InlineData(404, "NotFound")]
    [InlineData(500, "InternalServerError")]
    public async Task Error_answers_throw_with_the_services_status_and_code(int status, string code)
    {
        _service.Failures.Enqueue((status, code));
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => WithKey().SendToGroupAsync("dataplane", "g", "t", [], Ct));
        Assert.Equal(status, error.Status);
        Assert.Equal(code, error.ErrorCode);
        Assert.Contains($"Failing on purpose with {status}", error.Message);
    }

    [Fact]
    public async Task A_503_is_retried_by_the_pipeline_with_a_fresh_token_until_it_succeeds()
    {
        _service.Failures.Enqueue((503, "ServiceUnavailable"));
        _service.Failures.Enqueue((503, "ServiceUnavailable"));

        var response = await WithKey(retries: 3).SendToGroupAsync("dataplane", "g", "t", ["x"], Ct);

        Assert.Equal(202, response.Status);
        Assert.Equal([503, 503, 202], _service.Requests.Select(r => r.Status));
        Assert.Single(_service.Sends);
        Assert.Equal(3, _service.AcceptedKeyTokens.Count);
    }

    [Fact]
    public async Task A_503_that_lasts_fails_after_the_retries()
    {
        for (var i = 0; i < 5; i++)
        {
            _service.Failures.Enqueue((503, "ServiceUnavailable"));
        }
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => WithKey(retries: 2).SendToGroupAsync("dataplane", "g", "t", [], Ct));
        Assert.Equal(503, error.Status);
        Assert.Equal(3, _service.Requests.Count);
    }

    [Fact]
    public async Task With_an_identity_requests_carry_its_token_for_the_signalr_scope()
    {
        var credential = new StaticToken(FakeSignalRService.EntraToken);
        await WithIdentity(credential).SendToGroupAsync("dataplane", "g", "t", [], Ct);
        Assert.Equal(200, (await WithIdentity(credential).GetHealthAsync(Ct)).Status);

        Assert.Single(_service.Sends);
        Assert.All(credential.Requests, r => Assert.Equal([SignalRServiceClient.Scope], r.Scopes));
        Assert.Equal("https://signalr.azure.com/.default", SignalRServiceClient.Scope);
        Assert.Empty(_service.AcceptedKeyTokens);
        // A wrong token is refused by the service, not taken.
        await Assert.ThrowsAsync<RequestFailedException>(() => WithIdentity(new StaticToken("someone-else")).GetHealthAsync(Ct));
    }

    [Fact]
    public async Task Health_is_a_head_that_fails_when_the_service_does()
    {
        Assert.Equal(200, (await WithKey().GetHealthAsync(Ct)).Status);
        _service.Failures.Enqueue((503, "ServiceUnavailable"));
        Assert.Equal(503, (await Assert.ThrowsAsync<RequestFailedException>(() => WithKey().GetHealthAsync(Ct))).Status);
        Assert.Equal(["HEAD /api/health?api-version=2022-06-01", "HEAD /api/health?api-version=2022-06-01"], _service.Requests.Select(r => r.Request));
    }

    [Fact]
    public async Task Negotiating_with_an_access_key_groups_the_nodes_user_and_signs_a_client_token_for_the_client_url()
    {
        var cp = Guid.NewGuid();
        var info = await new SignalRServiceNegotiator(WithKey()).NegotiateAsync(cp, "node-7", Ct);

        var user = DataPlaneHub.UserOf(cp, "node-7");
        Assert.Equal($"{cp:N}.node-7", user);
        Assert.Equal(new FakeSignalRService.UserGroup("dataplane", user, $"cp-{cp}", null), Assert.Single(_service.UserGroups));
        Assert.Equal(new Uri(Url("/client/?hub=dataplane")), info.Url);
        var claims = FakeSignalRService.Verify(info.AccessToken, _service.AccessKey);
        Assert.NotNull(claims);
        Assert.Equal(info.Url.AbsoluteUri, claims["aud"]!.GetValue<string>());
        Assert.Equal(user, claims["nameid"]!.GetValue<string>());
        Assert.InRange(DateTimeOffset.FromUnixTimeSeconds(claims["exp"]!.GetValue<long>()),
            DateTimeOffset.UtcNow.AddMinutes(59), DateTimeOffset.UtcNow.AddMinutes(61));
        Assert.Empty(_service.GeneratedTokens);
        Assert.DoesNotContain(info.AccessToken, info.ToString());
    }

    [Fact]
    public async Task Negotiating_with_an_identity_asks_the_service_for_the_client_token_after_grouping_the_user()
    {
        var cp = Guid.NewGuid();
        var info = await new SignalRServiceNegotiator(WithIdentity(new StaticToken(FakeSignalRService.EntraToken))).NegotiateAsync(cp, "node-8", Ct);

        var user = DataPlaneHub.UserOf(cp, "node-8");
        Assert.Equal(new FakeSignalRService.GeneratedToken("dataplane", user, "60", "2023-07-01"), Assert.Single(_service.GeneratedTokens));
        Assert.Equal(
            [$"PUT /api/hubs/dataplane/users/{user}/groups/cp-{cp}?api-version=2022-06-01", $"POST /api/hubs/dataplane/:generateToken?api-version=2023-07-01&userId={user}&minutesToExpire=60"],
            _service.Requests.Select(r => r.Request));
        Assert.Equal(new Uri(Url("/client/?hub=dataplane")), info.Url);
        var claims = FakeSignalRService.Verify(info.AccessToken, _service.AccessKey)!;
        Assert.Equal(info.Url.AbsoluteUri, claims["aud"]!.GetValue<string>());
        Assert.Equal(user, claims["nameid"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_negotiation_the_service_refuses_fails_instead_of_handing_out_a_token_that_hears_nothing()
    {
        _service.Failures.Enqueue((403, "Forbidden"));
        await Assert.ThrowsAsync<RequestFailedException>(() => new SignalRServiceNegotiator(WithKey()).NegotiateAsync(Guid.NewGuid(), "n", Ct));
    }

    [Fact]
    public async Task The_notifier_sends_config_updated_to_the_control_planes_group()
    {
        var cp = Guid.NewGuid();
        await new SignalRServiceNotifier(WithKey()).NotifyAsync(cp, "feedbeef", Ct);
        var send = Assert.Single(_service.Sends);
        Assert.Equal($"cp-{cp}", send.Group);
        var body = JsonNode.Parse(send.Body)!;
        Assert.Equal("configUpdated", body["target"]!.GetValue<string>());
        Assert.Equal(cp.ToString(), body["arguments"]![0]!["control_plane_id"]!.GetValue<string>());
        Assert.Equal("feedbeef", body["arguments"]![0]!["config_hash"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_notifier_sends_config_updated_to_each_node_named_as_its_hub_user_and_to_no_group()
    {
        var cp = Guid.NewGuid();
        var nodes = new[] { Guid.NewGuid(), Guid.NewGuid() };
        await new SignalRServiceNotifier(WithKey()).NotifyNodesAsync(cp, nodes, "feedbeef", Ct);
        Assert.Empty(_service.Sends);
        Assert.Equal(nodes.Select(n => DataPlaneHub.UserOf(cp, n.ToString())).Order(), _service.UserSends.Select(s => s.User).Order());
        Assert.All(_service.UserSends, send =>
        {
            Assert.Equal(("dataplane", "2022-06-01"), (send.Hub, send.ApiVersion));
            Assert.Equal($$"""{"target":"configUpdated","arguments":[{"control_plane_id":"{{cp}}","config_hash":"feedbeef"}]}""", send.Body);
        });
    }

    [Fact]
    public void Names_the_service_refuses_are_refused_before_sending()
    {
        var client = WithKey();
        Assert.Throws<ArgumentException>(() => client.GetClientAccessUri("1hub"));
        Assert.Throws<ArgumentException>(() => client.GetClientAccessUri("da-ta"));
        Assert.Equal("hub_1", client.GetClientAccessUri("Hub_1").Query.Split('=')[1]);
    }
}
