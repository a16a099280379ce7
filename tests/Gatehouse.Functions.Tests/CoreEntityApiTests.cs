using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests;

public sealed class CoreEntityApiTests(StorageFixture storage) : IAsyncLifetime
{
    private RunningApp _app = null!;
    private string _base = null!;

    public async ValueTask InitializeAsync()
    {
        _app = await RunningApp.StartAsync(storage);
        _base = await _app.CreateControlPlaneAsync("entities");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private HttpClient Api => _app.Client;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<JsonElement> PostAsync(string path, string json, HttpStatusCode expected = HttpStatusCode.Created) =>
        await (await Api.PostJsonAsync(_base + path, json)).ExpectAsync(expected);

    private async Task<JsonElement> GetAsync(string path, HttpStatusCode expected = HttpStatusCode.OK) =>
        await (await Api.GetAsync(_base + path, Ct)).ExpectAsync(expected);

    private static IEnumerable<(string? Field, string Message)> Details(JsonElement error) =>
        error.GetProperty("details").EnumerateArray().SelectMany(d => d.GetProperty("messages").EnumerateArray()
            .Select(m => (d.TryGetProperty("field", out var f) ? f.GetString() : null, m.GetString()!)));

    [Fact]
    public async Task A_created_service_comes_back_with_Kongs_defaults_by_id_and_by_name()
    {
        var created = await PostAsync("/services", """{"name":"orders","url":"https://orders.internal:8443/v1"}""");
        Assert.Equal(("https", "orders.internal", 8443, "/v1"),
            (created.GetProperty("protocol").GetString(), created.GetProperty("host").GetString(), created.GetProperty("port").GetInt32(), created.GetProperty("path").GetString()));
        Assert.Equal(5, created.GetProperty("retries").GetInt32());
        Assert.Equal(JsonValueKind.Null, created.GetProperty("tags").ValueKind);
        Assert.True(created.GetProperty("created_at").GetInt64() > 1_700_000_000);

        var byId = await GetAsync($"/services/{created.GetProperty("id").GetString()}");
        var byName = await GetAsync("/services/orders");
        Assert.Equal(created.GetRawText(), byId.GetRawText());
        Assert.Equal(created.GetRawText(), byName.GetRawText());
    }

    [Fact]
    public async Task An_entity_within_the_body_limit_but_past_what_one_row_holds_is_a_400_and_nothing_is_written()
    {
        // 700,000 ASCII characters fit the 1 MiB body limit but take 1.4 MB as UTF-16 in a Table row.
        var config = new string('x', 700_000);
        var error = await PostAsync("/plugins", $$$"""{"name":"request-termination","instance_name":"big","config":{"message":"{{{config}}}"}}""",
            HttpStatusCode.BadRequest);

        Assert.Equal(3, error.GetProperty("code").GetInt32());
        Assert.Contains(Details(error), d => d.Field is null && d.Message.Contains("too large to store", StringComparison.Ordinal)
            && d.Message.Contains("1,048,576", StringComparison.Ordinal));
        await GetAsync("/plugins/big", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_route_created_without_protocols_gets_Kongs_default()
    {
        var route = await PostAsync("/routes", """{"paths":["/x"]}""");
        Assert.Equal("""["http","https"]""", route.GetProperty("protocols").GetRawText());
        Assert.True(route.GetProperty("strip_path").GetBoolean());
    }

    [Fact]
    public async Task Expression_routes_are_stored_served_and_composed_in_their_own_shape()
    {
        var response = await Api.PostJsonAsync(_base + "/routes", """{"name":"expr","expression":"http.path ^= \"/api\" && http.method == \"GET\"","priority":100}""");
        var route = await response.ExpectAsync(HttpStatusCode.Created);
        Gatehouse.Testing.OpenApi.OpenApiAssert.ValidResponse(Gatehouse.Testing.OpenApi.ReferenceSpecs.ControlPlanesConfig,
            "POST", "/control-planes/{controlPlaneId}/core-entities/routes", 201, "application/json", route);
        Assert.Equal(100, route.GetProperty("priority").GetInt32());
        Assert.False(route.TryGetProperty("paths", out _));

        var mixed = await PostAsync("/routes", """{"expression":"http.path == \"/\"","paths":["/"]}""", HttpStatusCode.BadRequest);
        Assert.Contains(mixed.GetProperty("details").EnumerateArray(), d => d.GetProperty("messages")[0].GetString()!.StartsWith("Router Expression failed validation", StringComparison.Ordinal));

        var cp = _base.Split('/')[3];
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var config = await (await Api.GetAsync($"/v2/control-planes/{cp}/declarative-config", Ct)).ExpectAsync(HttpStatusCode.OK);
            if (config.TryGetProperty("routes", out var routes))
            {
                Assert.Equal(100, routes[0].GetProperty("priority").GetInt32());
                Gatehouse.Testing.OpenApi.OpenApiAssert.Valid(Gatehouse.Testing.OpenApi.ReferenceSpecs.KongDeclarativeConfig, config);
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, "the expression route never reached the snapshot");
            await Task.Delay(50, Ct);
        }
    }

    [Fact]
    public async Task Invalid_bodies_are_400s_with_field_details_and_nothing_is_written()
    {
        var error = await PostAsync("/services", """{"name":"bad one","port":"80","colour":"x"}""", HttpStatusCode.BadRequest);
        Assert.Equal(3, error.GetProperty("code").GetInt32());
        Assert.Equal("validation error", error.GetProperty("message").GetString());
        var details = Details(error).ToList();
        Assert.Contains(("host", "required field missing"), details);
        Assert.Contains(("port", "expected an integer"), details);
        Assert.Contains(("colour", "unknown field"), details);
        Assert.Contains(details, d => d.Field == "name" && d.Message.StartsWith("invalid value 'bad one'", StringComparison.Ordinal));

        var route = await PostAsync("/routes", """{"protocols":["http"]}""", HttpStatusCode.BadRequest);
        var entity = route.GetProperty("details").EnumerateArray().Single(d => d.GetProperty("type").GetString() == "ERROR_TYPE_ENTITY");
        Assert.Equal("must set one of 'methods', 'hosts', 'headers', 'paths' when 'protocols' is 'http'", entity.GetProperty("messages")[0].GetString());

        Assert.Empty((await GetAsync("/services")).GetProperty("data").EnumerateArray());
        Assert.Empty((await GetAsync("/routes")).GetProperty("data").EnumerateArray());
    }

    [Theory]
    [InlineData("""{"name":"a""")]
    [InlineData("""[1]""")]
    [InlineData("")]
    public async Task Malformed_bodies_are_400s_in_the_core_dialect(string body)
    {
        var error = await PostAsync("/services", body, HttpStatusCode.BadRequest);
        Assert.Equal(3, error.GetProperty("code").GetInt32());
        Assert.Contains(Details(error), d => d.Field == "body");
    }

    [Fact]
    public async Task Names_are_unique_per_control_plane()
    {
        await PostAsync("/services", """{"name":"dup","host":"a.test"}""");
        var error = await PostAsync("/services", """{"name":"dup","host":"b.test"}""", HttpStatusCode.Conflict);
        Assert.Equal("UNIQUE violation detected on '{name=\"dup\"}'", error.GetProperty("message").GetString());

        var other = await (await Api.PostJsonAsync("/v2/control-planes", """{"name":"other-cp"}""")).ExpectAsync(HttpStatusCode.Created);
        await (await Api.PostJsonAsync($"/v2/control-planes/{other.GetProperty("id").GetString()}/core-entities/services", """{"name":"dup","host":"c.test"}"""))
            .ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Concurrent_creates_of_one_name_give_exactly_one_201()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            Api.PostJsonAsync(_base + "/services", $$"""{"name":"racer","host":"h{{i}}.test"}""")));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(9, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Single((await GetAsync("/services")).GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task Concurrent_creates_of_distinct_names_all_land_even_from_two_instances()
    {
        // A second app on the same storage: its writers do not take turns with ours, so the
        // revision's ETag is all that keeps the two from losing each other's writes.
        await using var second = await RunningApp.StartAsync(storage, prefix: _app.Prefix);
        var responses = await Task.WhenAll(Enumerable.Range(0, 24).Select(i =>
            (i % 2 == 0 ? Api : second.Client).PostJsonAsync(_base + "/services", $$"""{"name":"parallel-{{i}}","host":"h.test"}""")));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Equal(24, (await GetAsync("/services?size=100")).GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Concurrent_patches_of_different_fields_all_land()
    {
        await PostAsync("/services", """{"name":"patched","host":"p.test"}""");
        var patches = new[] { """{"retries":1}""", """{"port":81}""", """{"tags":["t"]}""", """{"read_timeout":5}""", """{"path":"/p"}""" };
        var responses = await Task.WhenAll(patches.Select(p => Api.PatchJsonAsync(_base + "/services/patched", p)));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var final = await GetAsync("/services/patched");
        Assert.Equal((1, 81, "t", 5, "/p"), (final.GetProperty("retries").GetInt32(), final.GetProperty("port").GetInt32(),
            final.GetProperty("tags")[0].GetString(), final.GetProperty("read_timeout").GetInt32(), final.GetProperty("path").GetString()));
    }

    [Fact]
    public async Task Put_creates_or_replaces_by_name_and_the_path_name_wins()
    {
        var created = await (await Api.PutJsonAsync(_base + "/services/by-put", """{"name":"ignored","host":"one.test","retries":1}""")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("by-put", created.GetProperty("name").GetString());

        var replaced = await (await Api.PutJsonAsync(_base + "/services/by-put", """{"host":"two.test"}""")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(created.GetProperty("id").GetString(), replaced.GetProperty("id").GetString());
        Assert.Equal(("two.test", 5), (replaced.GetProperty("host").GetString(), replaced.GetProperty("retries").GetInt32()));

        var id = Guid.NewGuid().ToString();
        var byId = await (await Api.PutJsonAsync(_base + $"/services/{id}", """{"host":"three.test"}""")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(id, byId.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Patch_of_a_missing_entity_is_404_and_delete_of_one_is_204()
    {
        var missing = await (await Api.PatchJsonAsync(_base + "/services/nope", """{"retries":1}""")).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal(5, missing.GetProperty("code").GetInt32());
        await (await Api.DeleteAsync(_base + "/services/nope", Ct)).ExpectAsync(HttpStatusCode.NoContent);
        await GetAsync("/services/nope", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Nested_routes_belong_to_their_service_and_block_its_deletion()
    {
        var service = await PostAsync("/services", """{"name":"parent","host":"parent.test"}""");
        var nested = await PostAsync("/services/parent/routes", """{"name":"child","paths":["/c"],"service":{"id":"00000000-0000-4000-8000-000000000000"}}""");
        Assert.Equal(service.GetProperty("id").GetString(), nested.GetProperty("service").GetProperty("id").GetString());
        await PostAsync("/routes", """{"name":"elsewhere","paths":["/e"]}""");

        var children = await GetAsync("/services/parent/routes");
        Assert.Equal(["child"], children.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        await GetAsync("/services/parent/routes/child");
        await GetAsync("/services/parent/routes/elsewhere", HttpStatusCode.NotFound);

        var refused = await (await Api.DeleteAsync(_base + "/services/parent", Ct)).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal("an existing 'routes' entity references this 'services' entity", refused.GetProperty("message").GetString());

        await (await Api.DeleteAsync(_base + "/services/parent/routes/child", Ct)).ExpectAsync(HttpStatusCode.NoContent);
        await (await Api.DeleteAsync(_base + "/services/parent", Ct)).ExpectAsync(HttpStatusCode.NoContent);
        await GetAsync("/services/parent", HttpStatusCode.NotFound);
        await PostAsync("/services", """{"name":"parent","host":"again.test"}""");
    }

    [Fact]
    public async Task Foreign_keys_must_name_existing_entities_by_id_or_name()
    {
        var missingId = Guid.NewGuid();
        var error = await PostAsync("/routes", $$$"""{"paths":["/r"],"service":{"id":"{{{missingId}}}"}}""", HttpStatusCode.BadRequest);
        Assert.Contains(Details(error), d => d.Field == "service" && d.Message.Contains(missingId.ToString(), StringComparison.Ordinal));

        var unresolved = await PostAsync("/routes", """{"paths":["/r"],"service":{"name":"ghost"}}""", HttpStatusCode.BadRequest);
        Assert.Contains("foreign key unresolved", unresolved.GetProperty("message").GetString());

        var service = await PostAsync("/services", """{"name":"target","host":"t.test"}""");
        var byName = await PostAsync("/routes", """{"paths":["/r"],"service":{"name":"target"}}""");
        Assert.Equal(service.GetProperty("id").GetString(), byName.GetProperty("service").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Lists_page_with_size_and_offset_and_filter_by_tags_and_name()
    {
        for (var i = 0; i < 7; i++)
        {
            var tags = i % 2 == 0 ? """["even","all"]""" : """["odd","all"]""";
            await PostAsync("/services", $$"""{"name":"svc-{{i}}","host":"h{{i}}.test","tags":{{tags}}}""");
        }

        var seen = new List<string>();
        var path = "/services?size=3";
        var pages = 0;
        while (true)
        {
            var page = await GetAsync(path);
            pages++;
            seen.AddRange(page.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("name").GetString()!));
            if (!page.TryGetProperty("next", out _))
            {
                Assert.False(page.TryGetProperty("offset", out _));
                break;
            }
            path = $"/services?size=3&offset={Uri.EscapeDataString(page.GetProperty("offset").GetString()!)}";
        }
        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"svc-{i}").Order(), seen.Order());

        Assert.Equal(4, (await GetAsync("/services?tags=even")).GetProperty("data").GetArrayLength());
        Assert.Equal(4, (await GetAsync("/services?tags=even,all")).GetProperty("data").GetArrayLength());
        Assert.Equal(7, (await GetAsync("/services?tags=even/odd")).GetProperty("data").GetArrayLength());
        Assert.Equal(0, (await GetAsync("/services?tags=even,odd")).GetProperty("data").GetArrayLength());
        Assert.Equal(["svc-3"], (await GetAsync("/services?filter[name][eq]=svc-3")).GetProperty("data").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.Equal(7, (await GetAsync("/services?filter[name][contains]=SVC")).GetProperty("data").GetArrayLength());

        await GetAsync("/services?size=0", HttpStatusCode.BadRequest);
        await GetAsync("/services?size=1001", HttpStatusCode.BadRequest);
        await GetAsync("/services?offset=!!!", HttpStatusCode.BadRequest);
        await GetAsync("/services?tags=a,b/c", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Unknown_control_planes_paths_and_methods_answer_in_the_core_dialect()
    {
        var unknown = await (await Api.GetAsync($"/v2/control-planes/{Guid.NewGuid()}/core-entities/services", Ct)).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal(5, unknown.GetProperty("code").GetInt32());
        await GetAsync("/not-an-entity", HttpStatusCode.NotFound);
        await GetAsync("/services/x/not-children", HttpStatusCode.NotFound);
        await (await Api.PutJsonAsync(_base + "/services", "{}")).ExpectAsync(HttpStatusCode.MethodNotAllowed);

        var anonymous = await (await _app.Anonymous.GetAsync(_base + "/services", Ct)).ExpectAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Unauthorized", anonymous.GetProperty("message").GetString());
        Assert.Equal(401, anonymous.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Control_plane_groups_are_read_only()
    {
        var group = await (await Api.PostJsonAsync("/v2/control-planes", """{"name":"a-group","cluster_type":"CLUSTER_TYPE_CONTROL_PLANE_GROUP"}""")).ExpectAsync(HttpStatusCode.Created);
        var groupBase = $"/v2/control-planes/{group.GetProperty("id").GetString()}/core-entities";
        var refused = await (await Api.PostJsonAsync(groupBase + "/services", """{"host":"h.test"}""")).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("read-only", refused.GetProperty("message").GetString());
        await (await Api.GetAsync(groupBase + "/services", Ct)).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Deleting_the_control_plane_deletes_its_entities()
    {
        var cp = await (await Api.PostJsonAsync("/v2/control-planes", """{"name":"doomed-cp"}""")).ExpectAsync(HttpStatusCode.Created);
        var cpBase = $"/v2/control-planes/{cp.GetProperty("id").GetString()}/core-entities";
        await (await Api.PostJsonAsync(cpBase + "/services", """{"name":"s","host":"h.test"}""")).ExpectAsync(HttpStatusCode.Created);
        await (await Api.PostJsonAsync(cpBase + "/services/s/routes", """{"paths":["/"]}""")).ExpectAsync(HttpStatusCode.Created);

        await (await Api.DeleteAsync($"/v2/control-planes/{cp.GetProperty("id").GetString()}", Ct)).ExpectAsync(HttpStatusCode.NoContent);

        // Every entity and index row is gone; the revision stays a while as a tombstone, so that a
        // write racing the deletion fails instead of landing in the purged partition.
        var table = storage.CreateTableServiceClient().GetTableClient($"{_app.Prefix}entities");
        var left = await table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {cp.GetProperty("id").GetString()}"), cancellationToken: Ct).ToListAsync(Ct);
        Assert.Equal(["rev"], left.Select(r => r.RowKey));
        await (await Api.PostJsonAsync(cpBase + "/services", """{"host":"late.test"}""")).ExpectAsync(HttpStatusCode.NotFound);
    }
}
