using System.Net;
using System.Text.Json;
using Gatehouse.Testing;
using Gatehouse.Testing.OpenApi;

namespace Gatehouse.Functions.Tests;

/// <summary>
/// Every core entity type through its whole life — create, read, list, patch, put, delete —
/// flat or nested as Konnect serves it, with every answer validated against the Konnect
/// Control Planes Configuration spec.
/// </summary>
public sealed class EveryEntityTypeTests(StorageFixture storage) : IAsyncLifetime
{
    private const string Prefix = "/control-planes/{controlPlaneId}/core-entities";

    private RunningApp _app = null!;
    private string _base = null!;

    public async ValueTask InitializeAsync()
    {
        _app = await RunningApp.StartAsync(storage);
        _base = await _app.CreateControlPlaneAsync("every-type");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Types() => new(
        "services", "routes", "consumers", "consumer_groups", "plugins", "upstreams", "targets",
        "certificates", "snis", "ca_certificates", "vaults", "key-sets", "keys");

    [Theory]
    [MemberData(nameof(Types))]
    public async Task Lifecycle_validates_against_the_Konnect_spec(string type)
    {
        var (parentPath, parentTemplate, body, patch, schemaName, itemParameter) = await ArrangeAsync(type);
        var collection = parentPath + "/" + type;
        var collectionTemplate = Prefix + parentTemplate + "/" + type;
        var itemTemplate = collectionTemplate + "/{" + itemParameter + "}";

        var create = await _app.Client.PostJsonAsync(_base + collection, body);
        var created = await Valid(create, "POST", collectionTemplate, HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;

        var get = await Valid(await _app.Client.GetAsync($"{_base}{collection}/{id}", Ct), "GET", itemTemplate, HttpStatusCode.OK);
        // Konnect answers a consumer group inside a wrapper (ConsumerGroupInsideWrapper), every other entity bare.
        Assert.Equal(created.GetRawText(), (type == "consumer_groups" ? get.GetProperty("consumer_group") : get).GetRawText());

        var list = await _app.Client.GetAsync(_base + collection, Ct);
        var listed = await Valid(list, "GET", collectionTemplate, HttpStatusCode.OK);
        Assert.Contains(listed.GetProperty("data").EnumerateArray(), e => e.GetProperty("id").GetString() == id);

        var patched = await (await _app.Client.PatchJsonAsync($"{_base}{collection}/{id}", patch)).ExpectAsync(HttpStatusCode.OK);
        var schemaErrors = ReferenceSpecs.ControlPlanesConfig.ValidateComponent(schemaName, patched);
        Assert.True(schemaErrors.Count == 0, $"PATCH answer is not a valid {schemaName}: {string.Join("; ", schemaErrors)}");
        Assert.Equal(id, patched.GetProperty("id").GetString());
        foreach (var property in JsonDocument.Parse(patch).RootElement.EnumerateObject())
        {
            Assert.Equal(property.Value.GetRawText(), patched.GetProperty(property.Name).GetRawText());
        }

        var put = await _app.Client.PutJsonAsync($"{_base}{collection}/{id}", body);
        var replaced = await Valid(put, "PUT", itemTemplate, HttpStatusCode.OK);
        Assert.Equal(id, replaced.GetProperty("id").GetString());

        await (await _app.Client.DeleteAsync($"{_base}{collection}/{id}", Ct)).ExpectAsync(HttpStatusCode.NoContent);
        await (await _app.Client.GetAsync($"{_base}{collection}/{id}", Ct)).ExpectAsync(HttpStatusCode.NotFound);
    }

    private static async Task<JsonElement> Valid(HttpResponseMessage response, string method, string template, HttpStatusCode status)
    {
        var body = await response.ExpectAsync(status);
        OpenApiAssert.ValidResponse(ReferenceSpecs.ControlPlanesConfig, method, template, (int)status, "application/json", body);
        return body;
    }

    /// <summary>The parent to nest under (if the spec nests the type), a valid body, a patch, and the spec's names.</summary>
    private async Task<(string ParentPath, string ParentTemplate, string Body, string Patch, string Schema, string ItemParameter)> ArrangeAsync(string type)
    {
        async Task<string> Parent(string collection, string json) =>
            (await (await _app.Client.PostJsonAsync(_base + "/" + collection, json)).ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;

        var server = TestCertificates.Server();
        switch (type)
        {
            case "services":
                return ("", "", """{"name":"svc","host":"example.com"}""", """{"retries":2}""", "Service", "ServiceId");
            case "routes":
                var service = await Parent("services", """{"name":"for-routes","host":"example.com"}""");
                return ($"/services/{service}", "/services/{ServiceId}", """{"name":"r1","paths":["/r1"]}""", """{"methods":["GET"]}""", "Route", "RouteId");
            case "consumers":
                return ("", "", """{"username":"alice","custom_id":"a-1"}""", """{"tags":["vip"]}""", "Consumer", "ConsumerId");
            case "consumer_groups":
                return ("", "", """{"name":"gold"}""", """{"tags":["tier"]}""", "ConsumerGroup", "ConsumerGroupId");
            case "plugins":
                return ("", "", """{"name":"rate-limiting","config":{"minute":5}}""", """{"enabled":false}""", "Plugin", "PluginId");
            case "upstreams":
                return ("", "", """{"name":"backend.internal"}""", """{"slots":100}""", "Upstream", "UpstreamId");
            case "targets":
                var upstream = await Parent("upstreams", """{"name":"targets.internal"}""");
                return ($"/upstreams/{upstream}", "/upstreams/{UpstreamIdForTarget}", """{"target":"10.0.0.1:8080"}""", """{"weight":50}""", "Target", "TargetId");
            case "certificates":
                return ("", "", Json(new { cert = server.Certificate, key = server.Key }), """{"tags":["edge"]}""", "Certificate", "CertificateId");
            case "snis":
                var certificate = await Parent("certificates", Json(new { cert = server.Certificate, key = server.Key }));
                return ($"/certificates/{certificate}", "/certificates/{CertificateId}", """{"name":"api.example.com"}""", """{"tags":["sni"]}""", "SNI", "SNIId");
            case "ca_certificates":
                return ("", "", Json(new { cert = TestCertificates.CertificateAuthority() }), """{"tags":["ca"]}""", "CACertificate", "CACertificateId");
            case "vaults":
                return ("", "", """{"name":"env","prefix":"my-env","config":{"prefix":"GH_"}}""", """{"description":"env vars"}""", "Vault", "VaultId");
            case "key-sets":
                return ("", "", """{"name":"jwks"}""", """{"tags":["jwks"]}""", "KeySet", "KeySetId");
            case "keys":
                var set = await Parent("key-sets", """{"name":"for-keys"}""");
                var jwk = JsonSerializer.Serialize(new { kid = "k1", kty = "oct", k = "c2VjcmV0" });
                return ($"/key-sets/{set}", "/key-sets/{KeySetId}", Json(new { kid = "k1", name = "first", jwk }), """{"tags":["k"]}""", "Key", "KeyId");
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, null);
        }
    }

    private static string Json(object value) => JsonSerializer.Serialize(value);
}
