using System.Net;
using System.Text.Json;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests;

/// <summary>What ties entities together: cascades, composite uniqueness, nested paths and memberships.</summary>
public sealed class EntityRelationsApiTests(StorageFixture storage) : IAsyncLifetime
{
    private RunningApp _app = null!;
    private string _base = null!;

    public async ValueTask InitializeAsync()
    {
        _app = await RunningApp.StartAsync(storage);
        _base = await _app.CreateControlPlaneAsync("relations");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<JsonElement> Post(string path, string json, HttpStatusCode expected = HttpStatusCode.Created) =>
        await (await _app.Client.PostJsonAsync(_base + path, json)).ExpectAsync(expected);

    private async Task<JsonElement> Get(string path, HttpStatusCode expected = HttpStatusCode.OK) =>
        await (await _app.Client.GetAsync(_base + path, Ct)).ExpectAsync(expected);

    private async Task Delete(string path, HttpStatusCode expected = HttpStatusCode.NoContent) =>
        await (await _app.Client.DeleteAsync(_base + path, Ct)).ExpectAsync(expected);

    private static int Count(JsonElement list) => list.GetProperty("data").GetArrayLength();

    [Fact]
    public async Task Deleting_an_upstream_deletes_its_targets_even_when_there_are_many()
    {
        await Post("/upstreams", """{"name":"big.internal"}""");
        await Post("/upstreams", """{"name":"neighbour.internal"}""");
        await Post("/upstreams/neighbour.internal/targets", """{"target":"10.9.9.9"}""");
        for (var i = 0; i < 45; i++)
        {
            await Post("/upstreams/big.internal/targets", $$"""{"target":"10.0.0.{{i}}:80"}""");
        }
        Assert.Equal(45, Count(await Get("/upstreams/big.internal/targets?size=1000")));

        await Delete("/upstreams/big.internal");

        await Get("/upstreams/big.internal", HttpStatusCode.NotFound);
        Assert.Equal(1, Count(await Get("/targets")));
    }

    /// <summary>
    /// A nested list reads its children through the parent's index, a chunk of point reads at a time:
    /// pages still come whole, in id order, each child once, with a tag filter that skips most of a chunk.
    /// </summary>
    [Fact]
    public async Task A_services_routes_page_through_many_children_in_id_order_with_and_without_a_filter()
    {
        await Post("/services", """{"name":"many","host":"many.internal"}""");
        await Post("/services", """{"name":"other","host":"other.internal"}""");
        await Post("/services/other/routes", """{"name":"elsewhere","paths":["/elsewhere"],"tags":["fifth"]}""");
        var ids = new List<(string Id, bool Fifth)>();
        for (var i = 0; i < 75; i++)
        {
            var tags = i % 5 == 0 ? """["fifth"]""" : """["rest"]""";
            var route = await Post("/services/many/routes", $$"""{"name":"r{{i}}","paths":["/r{{i}}"],"tags":{{tags}}}""");
            ids.Add((route.GetProperty("id").GetString()!, i % 5 == 0));
        }

        async Task<List<string>> PagesAsync(string query, int size)
        {
            var seen = new List<string>();
            var path = $"/services/many/routes?size={size}{query}";
            while (true)
            {
                var page = await Get(path);
                var data = page.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToList();
                seen.AddRange(data);
                if (!page.TryGetProperty("offset", out var offset))
                {
                    return seen;
                }
                Assert.Equal(size, data.Count);
                path = $"/services/many/routes?size={size}{query}&offset={Uri.EscapeDataString(offset.GetString()!)}";
            }
        }

        Assert.Equal(ids.Select(r => r.Id).Order(StringComparer.Ordinal), await PagesAsync("", 20));
        Assert.Equal(ids.Where(r => r.Fifth).Select(r => r.Id).Order(StringComparer.Ordinal), await PagesAsync("&tags=fifth", 4));
        Assert.Equal(ids.Select(r => r.Id).Order(StringComparer.Ordinal), await PagesAsync("", 75));
    }

    [Fact]
    public async Task Targets_are_unique_per_upstream_and_addressable_by_target()
    {
        await Post("/upstreams", """{"name":"one.internal"}""");
        await Post("/upstreams", """{"name":"two.internal"}""");
        var target = await Post("/upstreams/one.internal/targets", """{"target":"10.0.0.1"}""");
        Assert.Equal("10.0.0.1:8000", target.GetProperty("target").GetString());

        await Post("/upstreams/one.internal/targets", """{"target":"10.0.0.1:8000"}""", HttpStatusCode.Conflict);
        await Post("/upstreams/two.internal/targets", """{"target":"10.0.0.1"}""");

        var byName = await Get("/upstreams/one.internal/targets/10.0.0.1:8000");
        Assert.Equal(target.GetProperty("id").GetString(), byName.GetProperty("id").GetString());
        await Get($"/upstreams/two.internal/targets/{target.GetProperty("id").GetString()}", HttpStatusCode.NotFound);

        var refused = await (await _app.Client.PostJsonAsync(_base + "/targets", """{"target":"10.0.0.2"}""")).ExpectAsync(HttpStatusCode.MethodNotAllowed);
        Assert.Equal(12, refused.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Plugins_are_unique_per_name_and_scope_and_go_with_their_scope()
    {
        await Post("/services", """{"name":"scoped","host":"s.test"}""");
        await Post("/routes", """{"name":"scoped-route","paths":["/s"],"service":{"name":"scoped"}}""");
        await Post("/consumers", """{"username":"carol"}""");
        await Post("/plugins", """{"name":"cors"}""");
        await Post("/services/scoped/plugins", """{"name":"cors"}""");
        await Post("/routes/scoped-route/plugins", """{"name":"cors"}""");
        await Post("/consumers/carol/plugins", """{"name":"rate-limiting","config":{"minute":1}}""");

        var duplicate = await Post("/plugins", """{"name":"cors"}""", HttpStatusCode.Conflict);
        Assert.StartsWith("UNIQUE violation detected on '{consumer=null,consumer_group=null,name=\"cors\"", duplicate.GetProperty("message").GetString());
        await Post("/services/scoped/plugins", """{"name":"cors"}""", HttpStatusCode.Conflict);
        Assert.Equal(4, Count(await Get("/plugins")));
        Assert.Equal(1, Count(await Get("/services/scoped/plugins")));

        await Delete("/routes/scoped-route");
        await Delete("/consumers/carol");
        Assert.Equal(2, Count(await Get("/plugins")));
        await Delete("/services/scoped");
        Assert.Equal(["cors"], (await Get("/plugins")).GetProperty("data").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task A_plugin_on_a_route_must_share_one_of_its_protocols()
    {
        await Post("/routes", """{"name":"grpc-only","protocols":["grpc"],"paths":["/g"]}""");
        var error = await Post("/routes/grpc-only/plugins", """{"name":"cors","protocols":["http","https"]}""", HttpStatusCode.BadRequest);
        Assert.Contains(error.GetProperty("details").EnumerateArray(), d => d.GetProperty("field").GetString() == "protocols"
            && d.GetProperty("messages")[0].GetString() == "must match the associated route's protocols");
        await Post("/routes/grpc-only/plugins", """{"name":"cors"}""");
    }

    [Fact]
    public async Task A_plugin_on_a_service_must_share_a_protocol_with_one_of_its_routes_if_it_has_any()
    {
        await Post("/services", """{"name":"streams","host":"s.internal","protocol":"tcp","port":9000}""");
        // No routes yet: anything goes, as in Kong.
        await Post("/services/streams/plugins", """{"name":"cors","protocols":["http"]}""");
        await Post("/services/streams/routes", """{"name":"tcp-in","protocols":["tcp"],"destinations":[{"port":9000}]}""");
        var error = await Post("/services/streams/plugins", """{"name":"ip-restriction","config":{"deny":["10.0.0.1"]},"protocols":["http","https"]}""", HttpStatusCode.BadRequest);
        Assert.Contains(error.GetProperty("details").EnumerateArray(), d => d.GetProperty("field").GetString() == "protocols"
            && d.GetProperty("messages")[0].GetString() == "must match the protocols of at least one route pointing to this Plugin's service");
        await Post("/services/streams/routes", """{"name":"http-in","protocols":["http"],"paths":["/s"]}""");
        await Post("/services/streams/plugins", """{"name":"ip-restriction","config":{"deny":["10.0.0.1"]},"protocols":["http","https"]}""");
    }

    [Fact]
    public async Task Plugin_scopes_must_exist()
    {
        var error = await Post("/plugins", $$$"""{"name":"cors","route":{"id":"{{{Guid.NewGuid()}}}"}}""", HttpStatusCode.BadRequest);
        Assert.Contains("does not reference an existing 'routes' entity", error.GetProperty("message").GetString());
        await Post("/consumer_groups/ghost/plugins", """{"name":"cors"}""", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Deleting_a_certificate_deletes_its_snis_and_sni_names_are_unique()
    {
        var pair = TestCertificates.Server();
        var body = JsonSerializer.Serialize(new { cert = pair.Certificate, key = pair.Key });
        var first = await Post("/certificates", body);
        var second = await Post("/certificates", body);
        await Post($"/certificates/{first.GetProperty("id").GetString()}/snis", """{"name":"*.example.com"}""");
        await Post($"/certificates/{first.GetProperty("id").GetString()}/snis", """{"name":"api.example.org"}""");
        await Post($"/certificates/{second.GetProperty("id").GetString()}/snis", """{"name":"*.example.com"}""", HttpStatusCode.Conflict);
        Assert.Equal(2, Count(await Get($"/certificates/{first.GetProperty("id").GetString()}/snis")));

        await Delete($"/certificates/{first.GetProperty("id").GetString()}");
        Assert.Equal(0, Count(await Get("/snis")));
        await Post($"/certificates/{second.GetProperty("id").GetString()}/snis", """{"name":"*.example.com"}""");
    }

    [Fact]
    public async Task A_certificates_snis_list_creates_replaces_and_shows_its_sni_entities()
    {
        var pair = TestCertificates.Server();
        var cert = await Post("/certificates", JsonSerializer.Serialize(new { cert = pair.Certificate, key = pair.Key, snis = new[] { "z.example.com", "*.a.example.com" } }));
        var id = cert.GetProperty("id").GetString();
        Assert.Equal("""["*.a.example.com","z.example.com"]""", cert.GetProperty("snis").GetRawText());
        Assert.Equal(2, Count(await Get($"/certificates/{id}/snis")));
        Assert.Equal("""["*.a.example.com","z.example.com"]""", (await Get($"/certificates/{id}")).GetProperty("snis").GetRawText());

        var patched = await (await _app.Client.PatchJsonAsync($"{_base}/certificates/{id}", """{"snis":["z.example.com","new.example.com"]}""")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("""["new.example.com","z.example.com"]""", patched.GetProperty("snis").GetRawText());
        await Get("/snis/*.a.example.com", HttpStatusCode.NotFound);

        var kept = await (await _app.Client.PatchJsonAsync($"{_base}/certificates/{id}", """{"tags":["t"]}""")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, kept.GetProperty("snis").GetArrayLength());

        var other = TestCertificates.Server();
        var taken = await Post("/certificates", JsonSerializer.Serialize(new { cert = other.Certificate, key = other.Key, snis = new[] { "z.example.com" } }), HttpStatusCode.BadRequest);
        Assert.Contains(taken.GetProperty("details").EnumerateArray().SelectMany(d => d.GetProperty("messages").EnumerateArray()),
            m => m.GetString() == $"z.example.com already associated with existing certificate '{id}'");
        await Post("/certificates", JsonSerializer.Serialize(new { cert = other.Certificate, key = other.Key, snis = new[] { "d.example.com", "d.example.com" } }), HttpStatusCode.BadRequest);
        await Post("/certificates", JsonSerializer.Serialize(new { cert = other.Certificate, key = other.Key, snis = new[] { "1.2.3.4" } }), HttpStatusCode.BadRequest);
        Assert.Equal(1, Count(await Get("/certificates")));

        // PUT replaces the whole certificate: without snis it keeps none.
        var replaced = await (await _app.Client.PutJsonAsync($"{_base}/certificates/{id}", JsonSerializer.Serialize(new { cert = pair.Certificate, key = pair.Key })))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("[]", replaced.GetProperty("snis").GetRawText());
        Assert.Equal(0, Count(await Get("/snis")));
    }

    [Fact]
    public async Task A_certificate_a_service_uses_cannot_be_deleted()
    {
        var pair = TestCertificates.Server();
        var cert = await Post("/certificates", JsonSerializer.Serialize(new { cert = pair.Certificate, key = pair.Key }));
        var id = cert.GetProperty("id").GetString();
        await Post("/services", $$$"""{"name":"mtls","url":"https://m.test","client_certificate":{"id":"{{{id}}}"}}""");
        var refused = await (await _app.Client.DeleteAsync($"{_base}/certificates/{id}", Ct)).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal("an existing 'services' entity references this 'certificates' entity", refused.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Keys_are_unique_by_kid_within_a_set_and_go_with_it()
    {
        await Post("/key-sets", """{"name":"set-a"}""");
        await Post("/key-sets", """{"name":"set-b"}""");
        string Key(string kid) => JsonSerializer.Serialize(new { kid, jwk = JsonSerializer.Serialize(new { kid, kty = "oct", k = "c2VjcmV0" }) });
        await Post("/key-sets/set-a/keys", Key("k1"));
        await Post("/key-sets/set-a/keys", Key("k1"), HttpStatusCode.Conflict);
        await Post("/key-sets/set-b/keys", Key("k1"));
        await Post("/keys", Key("k1"));

        await Delete("/key-sets/set-a");
        Assert.Equal(2, Count(await Get("/keys")));
    }

    [Fact]
    public async Task Vault_prefixes_are_unique_and_address_the_vault()
    {
        var vault = await Post("/vaults", """{"name":"env","prefix":"secrets"}""");
        await Post("/vaults", """{"name":"aws","prefix":"secrets"}""", HttpStatusCode.Conflict);
        Assert.Equal(vault.GetProperty("id").GetString(), (await Get("/vaults/secrets")).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Consumers_join_and_leave_groups_from_either_side()
    {
        await Post("/consumers", """{"username":"dave"}""");
        await Post("/consumers", """{"username":"erin","custom_id":"e-1"}""");
        await Post("/consumer_groups", """{"name":"gold"}""");
        await Post("/consumer_groups", """{"name":"silver"}""");

        var added = await Post("/consumer_groups/gold/consumers", """{"consumer":"dave"}""");
        Assert.Equal("gold", added.GetProperty("consumer_group").GetProperty("name").GetString());
        Assert.Equal("dave", added.GetProperty("consumers")[0].GetProperty("username").GetString());
        var joined = await Post("/consumers/erin/consumer_groups", """{"group":"gold"}""");
        Assert.Equal("gold", joined.GetProperty("consumer_groups")[0].GetProperty("name").GetString());
        await Post("/consumers/erin/consumer_groups", """{"group":"silver"}""");

        var again = await Post("/consumer_groups/gold/consumers", """{"consumer":"dave"}""", HttpStatusCode.Conflict);
        Assert.Contains("already in group", again.GetProperty("message").GetString());
        await Post("/consumer_groups/gold/consumers", """{"consumer":"nobody"}""", HttpStatusCode.NotFound);
        await Post("/consumer_groups/gold/consumers", """{}""", HttpStatusCode.BadRequest);

        Assert.Equal(["dave", "erin"], (await Get("/consumer_groups/gold/consumers")).GetProperty("data").EnumerateArray().Select(c => c.GetProperty("username").GetString()).Order());
        Assert.Equal(["gold", "silver"], (await Get("/consumers/erin/consumer_groups")).GetProperty("data").EnumerateArray().Select(g => g.GetProperty("name").GetString()).Order());

        await Delete("/consumer_groups/gold/consumers/dave");
        await Delete("/consumer_groups/gold/consumers/dave", HttpStatusCode.NotFound);
        await Delete("/consumers/erin/consumer_groups/silver");
        Assert.Equal(["gold"], (await Get("/consumers/erin/consumer_groups")).GetProperty("data").EnumerateArray().Select(g => g.GetProperty("name").GetString()));

        // Deleting a consumer takes its memberships with it.
        await Delete("/consumers/erin");
        Assert.Equal(0, Count(await Get("/consumer_groups/gold/consumers")));
        await Delete("/consumer_groups/gold/consumers", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Consumer_usernames_and_custom_ids_are_each_unique()
    {
        await Post("/consumers", """{"username":"frank","custom_id":"f-1"}""");
        await Post("/consumers", """{"username":"frank"}""", HttpStatusCode.Conflict);
        await Post("/consumers", """{"custom_id":"f-1"}""", HttpStatusCode.Conflict);
        await Post("/consumers", """{"username":"grace","custom_id":"g-1"}""");
        await (await _app.Client.PatchJsonAsync(_base + "/consumers/grace", """{"custom_id":"f-1"}""")).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Equal(["grace"], (await Get("/consumers?custom_id=g-1")).GetProperty("data").EnumerateArray().Select(c => c.GetProperty("username").GetString()));
        Assert.Equal(0, Count(await Get("/consumers?custom_id=none")));
        // A rename frees the old name for others.
        await (await _app.Client.PatchJsonAsync(_base + "/consumers/frank", """{"username":"francis"}""")).ExpectAsync(HttpStatusCode.OK);
        await Post("/consumers", """{"username":"frank"}""");
    }
}
