using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Entities.Schemas.PluginConfigs;
using Gatehouse.Testing;
using Gatehouse.Testing.OpenApi;

namespace Gatehouse.Functions.Tests;

/// <summary>
/// The schema endpoints under core-entities, over HTTP against Azurite: each plugin's schema in
/// Kong's JSON, the plugins a control plane takes, and validation that stores nothing.
/// </summary>
public sealed class PluginSchemaApiTests(StorageFixture storage) : IAsyncLifetime
{
    private const string SchemaPath = "/control-planes/{controlPlaneId}/core-entities/schemas/plugins/{pluginName}";
    private const string ValidatePath = "/control-planes/{controlPlaneId}/core-entities/schemas/{entityName}/validate";

    private RunningApp _app = null!;
    private string _base = null!;

    public async ValueTask InitializeAsync()
    {
        _app = await RunningApp.StartAsync(storage);
        _base = await _app.CreateControlPlaneAsync("schemas");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Api => _app.Client;

    private async Task<JsonElement> GetAsync(string path, HttpStatusCode expected = HttpStatusCode.OK) =>
        await (await Api.GetAsync(_base + path, Ct)).ExpectAsync(expected);

    private async Task<JsonElement> ValidateAsync(string entity, string json, HttpStatusCode expected) =>
        await (await Api.PostJsonAsync($"{_base}/schemas/{entity}/validate", json)).ExpectAsync(expected);

    private static IEnumerable<string> Names(JsonElement oneKeyObjects) => oneKeyObjects.EnumerateArray().Select(o => o.EnumerateObject().Single().Name);

    private static JsonElement Entry(JsonElement oneKeyObjects, string name) =>
        oneKeyObjects.EnumerateArray().Single(o => o.EnumerateObject().Single().Name == name).GetProperty(name);

    [Fact]
    public async Task Every_plugin_schema_is_served_in_the_spec_shape_and_names_each_config_field_in_order()
    {
        var available = await GetAsync("/v1/available-plugins");
        Assert.Equal(PluginSchemas.All.Select(p => p.Name).Order(StringComparer.Ordinal), available.GetProperty("names").EnumerateArray().Select(n => n.GetString()));

        foreach (var plugin in PluginSchemas.All)
        {
            var response = await Api.GetAsync($"{_base}/schemas/plugins/{plugin.Name}", Ct);
            await OpenApiAssert.ValidResponseAsync(ReferenceSpecs.ControlPlanesConfig, "GET", SchemaPath, response, Ct);
            var schema = await response.ExpectAsync(HttpStatusCode.OK);

            var fields = schema.GetProperty("fields");
            Assert.Equal(["protocols", "config"], Names(fields).TakeLast(2));
            var config = Entry(fields, "config");
            Assert.Equal("record", config.GetProperty("type").GetString());
            Assert.True(config.GetProperty("required").GetBoolean(), plugin.Name);
            Assert.Equal(plugin.Config.Fields!.Select(f => f.Name), Names(config.GetProperty("fields")));
            Assert.All(config.GetProperty("fields").EnumerateArray(), f => Assert.True(f.EnumerateObject().Single().Value.TryGetProperty("type", out _), $"{plugin.Name}: {f}"));
            Assert.Equal(JsonValueKind.Array, schema.GetProperty("entity_checks").ValueKind);
            if (plugin.NoConsumer)
            {
                Assert.Equal("""{"type":"foreign","reference":"consumers","eq":null}""", Entry(fields, "consumer").GetRawText());
            }
        }
    }

    /// <summary>
    /// Kong 3.9.3's answer to <c>GET /schemas/plugins/rate-limiting</c> on a control plane, worked
    /// out by hand from kong/plugins/rate-limiting/schema.lua:73-221 (the dbless policy, 49-57),
    /// kong/tools/redis/schema.lua:5-35 and typedefs.lua:311-356, 422-426, 482-488, with records
    /// made required (kong/db/schema/entity.lua:13-24) and functions dropped
    /// (api_helpers.lua:155-231). Every <c>description</c> is left out: Gatehouse keeps none.
    /// </summary>
    private const string KongsRateLimiting = """
        {"fields":[
          {"protocols":{"type":"set","required":true,"default":["grpc","grpcs","http","https"],"elements":{"type":"string","one_of":["grpc","grpcs","http","https"]}}},
          {"config":{"type":"record","required":true,"fields":[
            {"second":{"type":"number","gt":0}},
            {"minute":{"type":"number","gt":0}},
            {"hour":{"type":"number","gt":0}},
            {"day":{"type":"number","gt":0}},
            {"month":{"type":"number","gt":0}},
            {"year":{"type":"number","gt":0}},
            {"limit_by":{"type":"string","default":"consumer","one_of":["consumer","credential","ip","service","header","path"]}},
            {"header_name":{"type":"string"}},
            {"path":{"type":"string","starts_with":"/","match_none":[{"pattern":"//","err":"must not have empty segments"}]}},
            {"policy":{"type":"string","default":"local","len_min":0,"one_of":["local","redis"]}},
            {"fault_tolerant":{"type":"boolean","required":true,"default":true}},
            {"redis":{"type":"record","required":true,"fields":[
              {"host":{"type":"string"}},
              {"port":{"type":"integer","between":[0,65535],"default":6379}},
              {"timeout":{"type":"integer","between":[0,2147483646],"default":2000}},
              {"username":{"type":"string","referenceable":true}},
              {"password":{"type":"string","encrypted":true,"referenceable":true,"len_min":0}},
              {"database":{"type":"integer","default":0}},
              {"ssl":{"type":"boolean","required":false,"default":false}},
              {"ssl_verify":{"type":"boolean","required":false,"default":false}},
              {"server_name":{"type":"string","required":false}}]}},
            {"hide_client_headers":{"type":"boolean","required":true,"default":false}},
            {"error_code":{"type":"number","default":429,"gt":0}},
            {"error_message":{"type":"string","default":"API rate limit exceeded"}},
            {"sync_rate":{"type":"number","required":true,"default":-1}}],
           "shorthand_fields":[
            {"redis_host":{"type":"string","deprecation":{"replaced_with":[{"path":["redis","host"]}],"message":"rate-limiting: config.redis_host is deprecated, please use config.redis.host instead","removal_in_version":"4.0"}}},
            {"redis_port":{"type":"integer","deprecation":{"replaced_with":[{"path":["redis","port"]}],"message":"rate-limiting: config.redis_port is deprecated, please use config.redis.port instead","removal_in_version":"4.0"}}},
            {"redis_password":{"type":"string","len_min":0,"deprecation":{"replaced_with":[{"path":["redis","password"]}],"message":"rate-limiting: config.redis_password is deprecated, please use config.redis.password instead","removal_in_version":"4.0"}}},
            {"redis_username":{"type":"string","deprecation":{"replaced_with":[{"path":["redis","username"]}],"message":"rate-limiting: config.redis_username is deprecated, please use config.redis.username instead","removal_in_version":"4.0"}}},
            {"redis_ssl":{"type":"boolean","deprecation":{"replaced_with":[{"path":["redis","ssl"]}],"message":"rate-limiting: config.redis_ssl is deprecated, please use config.redis.ssl instead","removal_in_version":"4.0"}}},
            {"redis_ssl_verify":{"type":"boolean","deprecation":{"replaced_with":[{"path":["redis","ssl_verify"]}],"message":"rate-limiting: config.redis_ssl_verify is deprecated, please use config.redis.ssl_verify instead","removal_in_version":"4.0"}}},
            {"redis_server_name":{"type":"string","deprecation":{"replaced_with":[{"path":["redis","server_name"]}],"message":"rate-limiting: config.redis_server_name is deprecated, please use config.redis.server_name instead","removal_in_version":"4.0"}}},
            {"redis_timeout":{"type":"integer","deprecation":{"replaced_with":[{"path":["redis","timeout"]}],"message":"rate-limiting: config.redis_timeout is deprecated, please use config.redis.timeout instead","removal_in_version":"4.0"}}},
            {"redis_database":{"type":"integer","deprecation":{"replaced_with":[{"path":["redis","database"]}],"message":"rate-limiting: config.redis_database is deprecated, please use config.redis.database instead","removal_in_version":"4.0"}}}]}}],
         "entity_checks":[
          {"at_least_one_of":["config.second","config.minute","config.hour","config.day","config.month","config.year"]},
          {"conditional":{"if_field":"config.policy","if_match":{"eq":"redis"},"then_field":"config.redis.host","then_match":{"required":true}}},
          {"conditional":{"if_field":"config.policy","if_match":{"eq":"redis"},"then_field":"config.redis.port","then_match":{"required":true}}},
          {"conditional":{"if_field":"config.policy","if_match":{"eq":"redis"},"then_field":"config.redis.timeout","then_match":{"required":true}}},
          {"conditional":{"if_field":"config.limit_by","if_match":{"eq":"header"},"then_field":"config.header_name","then_match":{"required":true}}},
          {"conditional":{"if_field":"config.limit_by","if_match":{"eq":"path"},"then_field":"config.path","then_match":{"required":true}}}]}
        """;

    [Fact]
    public async Task Rate_limiting_is_answered_as_Kong_answers_it_field_by_field()
    {
        var kong = JsonNode.Parse(KongsRateLimiting)!.AsObject();
        var ours = JsonNode.Parse((await GetAsync("/schemas/plugins/rate-limiting")).GetRawText())!.AsObject();

        // What Gatehouse's model does not keep, each named: the path check is one validator in
        // code, not match_none; no keyring, so no encrypted; a field's required = false is not
        // told apart from leaving it out; a deprecation keeps what replaces it, not its wording.
        Attributes(kong, "config.path").Remove("match_none");
        Attributes(kong, "config.redis.password").Remove("encrypted");
        foreach (var optional in new[] { "config.redis.ssl", "config.redis.ssl_verify", "config.redis.server_name" })
        {
            Attributes(kong, optional).Remove("required");
        }
        foreach (var shorthand in Attributes(kong, "config")["shorthand_fields"]!.AsArray())
        {
            var deprecation = shorthand!.AsObject().Single().Value!["deprecation"]!.AsObject();
            deprecation.Remove("message");
            deprecation.Remove("removal_in_version");
        }
        // Gatehouse states the non-empty rule of these strings; Kong holds it implicitly and
        // writes len_min = 1 into the schema itself when it first validates one (si:989-991).
        foreach (var nonEmpty in new[] { "config.header_name", "config.path", "config.redis.host" })
        {
            Assert.Equal(1, Attributes(ours, nonEmpty)["len_min"]!.GetValue<int>());
            Attributes(ours, nonEmpty).Remove("len_min");
        }

        Assert.Equal(Names(kong["fields"]!), Names(ours["fields"]!));
        Assert.True(JsonNode.DeepEquals(Attributes(kong, "protocols"), Attributes(ours, "protocols")), $"protocols: {Attributes(ours, "protocols")}");
        var kongConfig = Attributes(kong, "config");
        var ourConfig = Attributes(ours, "config");
        Assert.Equal(Names(kongConfig["fields"]!), Names(ourConfig["fields"]!));
        foreach (var name in Names(kongConfig["fields"]!))
        {
            var expected = Attributes(kong, $"config.{name}");
            var actual = Attributes(ours, $"config.{name}");
            Assert.True(JsonNode.DeepEquals(expected, actual), $"config.{name}: Kong {expected.ToJsonString()}, Gatehouse {actual.ToJsonString()}");
        }
        Assert.True(JsonNode.DeepEquals(kongConfig, ourConfig), $"config: {ourConfig.ToJsonString()}");
        Assert.True(JsonNode.DeepEquals(kong["entity_checks"], ours["entity_checks"]), $"entity_checks: {ours["entity_checks"]!.ToJsonString()}");
        Assert.True(JsonNode.DeepEquals(kong, ours));
    }

    [Fact]
    public async Task Validate_accepts_a_good_plugin_and_refuses_a_bad_one_naming_the_field_and_stores_nothing()
    {
        var good = await Api.PostJsonAsync($"{_base}/schemas/plugins/validate", """{"name":"rate-limiting","config":{"minute":20,"policy":"local"}}""");
        await OpenApiAssert.ValidResponseAsync(ReferenceSpecs.ControlPlanesConfig, "POST", ValidatePath, good, Ct);
        Assert.Equal("""{"message":"schema validation successful"}""", (await good.ExpectAsync(HttpStatusCode.OK)).GetRawText());

        var bad = await ValidateAsync("plugins", """{"name":"rate-limiting","config":{"minute":"abc"}}""", HttpStatusCode.BadRequest);
        Assert.Equal(2, bad.GetProperty("code").GetInt32());
        Assert.Equal("schema violation", bad.GetProperty("name").GetString());
        Assert.Contains("config.minute: expected a number", bad.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("expected a number", bad.GetProperty("fields").GetProperty("config").GetProperty("minute").GetString());

        // An entity check and a conditional: the entity's messages under @entity, the then_field at its path.
        var noLimit = await ValidateAsync("plugins", """{"name":"rate-limiting","config":{"limit_by":"header"}}""", HttpStatusCode.BadRequest);
        var entity = noLimit.GetProperty("fields").GetProperty("@entity").EnumerateArray().Select(m => m.GetString()).ToList();
        Assert.Contains("at least one of these fields must be non-empty: 'config.second', 'config.minute', 'config.hour', 'config.day', 'config.month', 'config.year'", entity);
        Assert.Equal("required field missing", noLimit.GetProperty("fields").GetProperty("config").GetProperty("header_name").GetString());

        // Array elements at their place (Kong's positions, null where an element passed); a
        // record's custom validator on the record itself.
        var elements = await ValidateAsync("plugins", """{"name":"ip-restriction","config":{"allow":["10.0.0.1","nope"]}}""", HttpStatusCode.BadRequest);
        var allow = elements.GetProperty("fields").GetProperty("config").GetProperty("allow");
        Assert.Equal([JsonValueKind.Null, JsonValueKind.String], allow.EnumerateArray().Select(e => e.ValueKind));
        Assert.Equal("invalid ip or cidr range: 'nope'", allow[1].GetString());
        var order = await ValidateAsync("plugins", """{"name":"rate-limiting","config":{"minute":20,"hour":10}}""", HttpStatusCode.BadRequest);
        Assert.Equal("The limit for hour(10.0) cannot be lower than the limit for minute(20.0)", order.GetProperty("fields").GetProperty("config").GetString());
        var nested = await ValidateAsync("plugins", """{"name":"rate-limiting","config":{"minute":20,"redis":{"port":"x"}}}""", HttpStatusCode.BadRequest);
        Assert.Equal("expected an integer", nested.GetProperty("fields").GetProperty("config").GetProperty("redis").GetProperty("port").GetString());

        Assert.Empty((await GetAsync("/plugins")).GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task Validate_takes_every_entity_by_its_collection_or_Kongs_name_and_refuses_as_a_create_would()
    {
        await ValidateAsync("services", """{"name":"orders","url":"https://orders.internal:8443/v1"}""", HttpStatusCode.OK);
        var service = await ValidateAsync("services", """{"name":"orders","port":"80"}""", HttpStatusCode.BadRequest);
        Assert.Equal("expected an integer", service.GetProperty("fields").GetProperty("port").GetString());
        Assert.Equal("required field missing", service.GetProperty("fields").GetProperty("host").GetString());

        await ValidateAsync("key-sets", """{"name":"jwks"}""", HttpStatusCode.OK);
        await ValidateAsync("key_sets", """{"name":"jwks"}""", HttpStatusCode.OK);
        var route = await ValidateAsync("routes", """{"protocols":["http"]}""", HttpStatusCode.BadRequest);
        Assert.Equal("must set one of 'methods', 'hosts', 'headers', 'paths' when 'protocols' is 'http'",
            route.GetProperty("fields").GetProperty("@entity")[0].GetString());

        // A foreign key is checked for its shape only: nothing is looked up.
        await ValidateAsync("routes", $$$"""{"paths":["/"],"service":{"id":"{{{Guid.NewGuid()}}}"}}""", HttpStatusCode.OK);
        Assert.Empty((await GetAsync("/services")).GetProperty("data").EnumerateArray());
        Assert.Empty((await GetAsync("/routes")).GetProperty("data").EnumerateArray());

        var notJson = await Api.PostAsync($"{_base}/schemas/plugins/validate", new StringContent("{", System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(3, (await notJson.ExpectAsync(HttpStatusCode.BadRequest)).GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Kongs_plugin_form_in_Konnect_mode_reads_the_same_schema_under_schemas_core_entities()
    {
        // Kong's PluginForm asks /v2/control-planes/{id}/schemas/core-entities/plugins/{name}, beside core-entities.
        var konnectUi = _base.Replace("/core-entities", "/schemas/core-entities", StringComparison.Ordinal);
        var atUiPath = await (await Api.GetAsync($"{konnectUi}/plugins/rate-limiting", Ct)).ExpectAsync(HttpStatusCode.OK);
        var atAdminPath = await GetAsync("/schemas/plugins/rate-limiting");
        Assert.Equal(atAdminPath.GetRawText(), atUiPath.GetRawText());
        Assert.Equal("record", Entry(atUiPath.GetProperty("fields"), "config").GetProperty("type").GetString());

        var unknown = await (await Api.GetAsync($"{konnectUi}/plugins/no-such-plugin", Ct)).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal("No plugin named 'no-such-plugin'", unknown.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Unknown_plugins_entities_and_control_planes_are_404s_as_Kong_and_Konnect_word_them()
    {
        var plugin = await GetAsync("/schemas/plugins/no-such-plugin", HttpStatusCode.NotFound);
        Assert.Equal((5, "No plugin named 'no-such-plugin'"), (plugin.GetProperty("code").GetInt32(), plugin.GetProperty("message").GetString()));
        var entity = await ValidateAsync("not-an-entity", "{}", HttpStatusCode.NotFound);
        Assert.Equal("No entity named 'not-an-entity'", entity.GetProperty("message").GetString());
        // Gatehouse's own bookkeeping is no entity of the API.
        await ValidateAsync("consumer_group_consumers", "{}", HttpStatusCode.NotFound);

        var id = Guid.NewGuid();
        var root = $"/v2/control-planes/{id}/core-entities";
        foreach (var response in new[]
        {
            await Api.GetAsync($"{root}/v1/available-plugins", Ct),
            await Api.GetAsync($"{root}/schemas/plugins/rate-limiting", Ct),
            await Api.PostJsonAsync($"{root}/schemas/plugins/validate", """{"name":"rate-limiting","config":{"minute":1}}"""),
        })
        {
            var body = await response.ExpectAsync(HttpStatusCode.NotFound);
            Assert.Equal($"The requested control plane ({id}) was not found.", body.GetProperty("message").GetString());
        }
        var malformed = await Api.GetAsync("/v2/control-planes/not-a-uuid/core-entities/schemas/plugins/rate-limiting", Ct);
        await malformed.ExpectAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_paths_are_the_Konnect_specs_and_our_document_describes_them()
    {
        // The spec has the schema and validate paths; the list of available plugins is what
        // Konnect's UI reads (Kong/public-ui-components), which the spec leaves out.
        ReferenceSpecs.ControlPlanesConfig.Operation("GET", SchemaPath);
        ReferenceSpecs.ControlPlanesConfig.Operation("POST", ValidatePath);

        var document = OpenApiDocument.Parse(await (await _app.Anonymous.GetAsync("/openapi/v1.json", Ct)).Content.ReadAsStringAsync(Ct));
        await OpenApiAssert.ValidResponseAsync(document, "GET", "/v2" + SchemaPath, await Api.GetAsync($"{_base}/schemas/plugins/acl", Ct), Ct);
        await OpenApiAssert.ValidResponseAsync(document, "GET", "/v2/control-planes/{controlPlaneId}/core-entities/v1/available-plugins",
            await Api.GetAsync($"{_base}/v1/available-plugins", Ct), Ct);
        await OpenApiAssert.ValidResponseAsync(document, "POST", "/v2" + ValidatePath,
            await Api.PostJsonAsync($"{_base}/schemas/plugins/validate", """{"name":"acl","config":{}}"""), Ct);
        await OpenApiAssert.ValidResponseAsync(document, "POST", "/v2" + ValidatePath,
            await Api.PostJsonAsync($"{_base}/schemas/plugins/validate", """{"name":"acl","config":{"allow":["a"]}}"""), Ct);
        await OpenApiAssert.ValidResponseAsync(document, "GET", "/v2" + SchemaPath, await Api.GetAsync($"{_base}/schemas/plugins/nope", Ct), Ct);
    }

    /// <summary>A field's attributes by dotted path through records' <c>fields</c> arrays.</summary>
    private static JsonObject Attributes(JsonObject schema, string path)
    {
        JsonObject? current = null;
        var fields = schema["fields"]!.AsArray();
        foreach (var step in path.Split('.'))
        {
            current = fields.Select(f => f!.AsObject()).Single(f => f.ContainsKey(step))[step]!.AsObject();
            fields = current["fields"]?.AsArray() ?? [];
        }
        return current!;
    }

    private static IEnumerable<string> Names(JsonNode oneKeyObjects) => oneKeyObjects.AsArray().Select(o => o!.AsObject().Single().Key).ToList();
}
