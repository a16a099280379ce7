using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Testing;
using Gatehouse.Testing.OpenApi;

namespace Gatehouse.Functions.Tests;

/// <summary><c>PUT /declarative-config</c>: decK sync semantics, dry runs, select_tags, errors, and the round trip with export.</summary>
public sealed class DeclarativeImportTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly TestCertificates.Pair s_server = TestCertificates.Server("CN=shop.example.com");
    private static readonly string s_ca = TestCertificates.CertificateAuthority();

    internal const string BasicAuthPassword = "plain-s3cr3t";

    private const string CaId = "5d1c3f0e-2b7a-4c4e-8f0a-3e6b9c1d2a4c";

    /// <summary>Every entity type, nested the way decK writes a kong.yaml.</summary>
    internal static JsonObject NestedConfig() => new()
    {
        ["_format_version"] = "3.0",
        ["services"] = new JsonArray(new JsonObject
        {
            ["name"] = "orders",
            ["url"] = "https://orders.internal:8443/v1",
            ["routes"] = new JsonArray(new JsonObject
            {
                ["name"] = "orders-api",
                ["paths"] = new JsonArray("/orders"),
                ["methods"] = new JsonArray("GET", "POST"),
                ["plugins"] = new JsonArray(new JsonObject { ["name"] = "rate-limiting", ["config"] = new JsonObject { ["minute"] = 60 } }),
            }),
            ["plugins"] = new JsonArray(new JsonObject { ["name"] = "key-auth", ["config"] = new JsonObject() }),
        }, new JsonObject { ["name"] = "billing", ["host"] = "billing.internal" }),
        ["consumers"] = new JsonArray(new JsonObject
        {
            ["username"] = "alice",
            ["custom_id"] = "a-1",
            ["groups"] = new JsonArray(new JsonObject { ["name"] = "gold" }),
            ["plugins"] = new JsonArray(new JsonObject { ["name"] = "request-size-limiting", ["config"] = new JsonObject { ["allowed_payload_size"] = 1 } }),
            // Every credential type, as decK writes them in their consumer; the password in plain text, as a user writes it.
            ["keyauth_credentials"] = new JsonArray(new JsonObject { ["key"] = "alice-key", ["ttl"] = 4_102_444_800 }),
            ["basicauth_credentials"] = new JsonArray(new JsonObject { ["username"] = "alice", ["password"] = BasicAuthPassword }),
            ["hmacauth_credentials"] = new JsonArray(new JsonObject { ["username"] = "alice-hmac", ["secret"] = "hmac-secret" }),
            ["jwt_secrets"] = new JsonArray(new JsonObject { ["key"] = "alice-iss", ["secret"] = "jwt-secret", ["algorithm"] = "HS256" }),
            ["acls"] = new JsonArray(new JsonObject { ["group"] = "gold" }),
            ["mtls_auth_credentials"] = new JsonArray(new JsonObject
            {
                ["id"] = "5d1c3f0e-2b7a-4c4e-8f0a-3e6b9c1d2a40",
                ["subject_name"] = "alice@example.com",
                ["ca_certificate"] = new JsonObject { ["id"] = CaId },
            }),
        }, new JsonObject { ["username"] = "bob" }),
        ["consumer_groups"] = new JsonArray(new JsonObject
        {
            ["name"] = "gold",
            ["consumers"] = new JsonArray(new JsonObject { ["username"] = "bob" }),
            ["plugins"] = new JsonArray(new JsonObject { ["name"] = "rate-limiting", ["config"] = new JsonObject { ["hour"] = 100 } }),
        }),
        ["plugins"] = new JsonArray(new JsonObject { ["name"] = "correlation-id", ["config"] = new JsonObject { ["header_name"] = "X-Request-Id" } }),
        ["upstreams"] = new JsonArray(new JsonObject
        {
            ["name"] = "orders.upstream",
            ["targets"] = new JsonArray(new JsonObject { ["target"] = "10.0.0.1:8080", ["weight"] = 50 }, new JsonObject { ["target"] = "10.0.0.2:8080" }),
        }),
        ["certificates"] = new JsonArray(new JsonObject
        {
            ["id"] = "9c2bd3b2-5a4f-4a8e-9b2c-7f3b1f2d0c11",
            ["cert"] = s_server.Certificate,
            ["key"] = s_server.Key,
            ["snis"] = new JsonArray(new JsonObject { ["name"] = "shop.example.com" }, "*.shop.example.com"),
        }),
        ["ca_certificates"] = new JsonArray(new JsonObject { ["id"] = CaId, ["cert"] = s_ca }),
        ["vaults"] = new JsonArray(new JsonObject { ["name"] = "env", ["prefix"] = "my-env", ["config"] = new JsonObject { ["prefix"] = "GH_" } }),
        ["key_sets"] = new JsonArray(new JsonObject
        {
            ["name"] = "jwks",
            ["keys"] = new JsonArray(new JsonObject { ["kid"] = "k1", ["name"] = "first", ["jwk"] = """{"kid":"k1","kty":"oct","k":"c2VjcmV0"}""" }),
        }),
    };

    private static Task<HttpResponseMessage> ImportAsync(RunningApp app, string cp, JsonNode document, bool dryRun = false) =>
        app.Client.PutAsync($"/v2/control-planes/{cp}/declarative-config{(dryRun ? "?dry_run=true" : "")}",
            new StringContent(document.ToJsonString(), Encoding.UTF8, "application/json"), Ct);

    private static async Task<JsonObject> ExportAsync(RunningApp app, string cp, string? hashNot = null) =>
        await ExportWhenAsync(app, cp, (hash, _) => hashNot is null || hash != hashNot);

    /// <summary>The exported snapshot once <paramref name="ready"/> holds for it (given its hash), within 20 s.</summary>
    internal static async Task<JsonObject> ExportWhenAsync(RunningApp app, string cp, Func<string, JsonObject, bool> ready)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var response = await app.Client.GetAsync($"/v2/control-planes/{cp}/declarative-config", Ct);
            var config = JsonNode.Parse((await response.ExpectAsync(HttpStatusCode.OK)).GetRawText())!.AsObject();
            if (ready(response.Headers.ETag!.Tag.Trim('"'), config))
            {
                return config;
            }
            Assert.True(DateTime.UtcNow < deadline, $"the snapshot never got there: {config.ToJsonString()[..Math.Min(300, config.ToJsonString().Length)]}");
            await Task.Delay(50, Ct);
        }
    }

    private static async Task<string> HashAsync(RunningApp app, string cp) =>
        (await (await app.Client.GetAsync($"/v2/control-planes/{cp}/expected-config-hash", Ct)).ExpectAsync(HttpStatusCode.OK))
            .GetProperty("expected_hash").GetString()!;

    private static async Task<JsonObject> ImportAndExportAsync(RunningApp app, string cp, JsonObject document)
    {
        var before = await HashAsync(app, cp);
        await (await ImportAsync(app, cp, document)).ExpectAsync(HttpStatusCode.OK);
        return await ExportAsync(app, cp, hashNot: before);
    }

    private static string Cp(string root) => root.Split('/')[3];

    [Fact]
    public async Task A_nested_file_with_every_entity_type_imports_and_exports_back_to_the_same_entities()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var cp = Cp(await app.CreateControlPlaneAsync("import-nested"));

        var result = await (await ImportAsync(app, cp, NestedConfig())).ExpectAsync(HttpStatusCode.OK);
        Assert.True(result.GetProperty("applied").GetBoolean());
        var summary = result.GetProperty("summary");
        // 2 services, 1 route, 5 plugins, 2 consumers, 1 group, 2 memberships, 6 credentials, 1 upstream, 2 targets, 1 cert, 2 snis, 1 CA, 1 vault, 1 set, 1 key.
        Assert.Equal(29, summary.GetProperty("creating").GetInt32());
        Assert.Equal(0, summary.GetProperty("deleting").GetInt32());

        var exported = await ExportAsync(app, cp, hashNot: null);
        for (var i = 0; exported["services"] is null && i < 400; i++)
        {
            await Task.Delay(50, Ct);
            exported = await ExportAsync(app, cp);
        }
        OpenApiAssert.Valid(ReferenceSpecs.KongDeclarativeConfig, JsonDocument.Parse(exported.ToJsonString()).RootElement);
        Assert.Equal(2, exported["services"]!.AsArray().Count);
        Assert.Equal(5, exported["plugins"]!.AsArray().Count);
        Assert.Equal(2, exported["upstreams"]![0]!["targets"]!.AsArray().Count);
        Assert.Equal(2, exported["certificates"]![0]!["snis"]!.AsArray().Count);
        Assert.Equal(2, exported["consumer_groups"]![0]!["consumers"]!.AsArray().Count);
        var alice = exported["consumers"]!.AsArray().Single(c => c!["username"]!.GetValue<string>() == "alice")!;
        foreach (var credentials in new[] { "keyauth_credentials", "basicauth_credentials", "hmacauth_credentials", "jwt_secrets", "acls", "mtls_auth_credentials" })
        {
            Assert.Single(alice[credentials]!.AsArray());
        }
        Assert.DoesNotContain(BasicAuthPassword, exported.ToJsonString(), StringComparison.Ordinal);
        Assert.False(exported["_transform"]!.GetValue<bool>());
        var route = await (await app.Client.GetAsync($"/v2/control-planes/{cp}/core-entities/routes/orders-api", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["http", "https"], route.GetProperty("protocols").EnumerateArray().Select(p => p.GetString()));

        // The export, imported again, is the same configuration: nothing to do, and the same bytes out.
        var again = await (await ImportAsync(app, cp, exported)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, again.GetProperty("changes").GetArrayLength());
        Assert.Equal(29, again.GetProperty("summary").GetProperty("unchanged").GetInt32());
        Assert.False(again.GetProperty("applied").GetBoolean());

        // And into a fresh control plane: ids from the file, so the exports are byte for byte the same.
        var copy = Cp(await app.CreateControlPlaneAsync("import-copy"));
        var copied = await ImportAndExportAsync(app, copy, exported);
        Assert.Equal(exported.ToJsonString(), copied.ToJsonString());
    }

    [Fact]
    public async Task The_flat_form_with_references_by_name_gives_the_same_configuration_as_the_nested_form()
    {
        await using var app = await RunningApp.StartAsync(storage);
        const string service = "0b3f6e2a-1111-4c5e-9a7d-000000000001", route = "0b3f6e2a-1111-4c5e-9a7d-000000000002",
            plugin = "0b3f6e2a-1111-4c5e-9a7d-000000000003", upstream = "0b3f6e2a-1111-4c5e-9a7d-000000000004",
            target = "0b3f6e2a-1111-4c5e-9a7d-000000000005", set = "0b3f6e2a-1111-4c5e-9a7d-000000000006", key = "0b3f6e2a-1111-4c5e-9a7d-000000000007";
        var nested = JsonNode.Parse($$$"""
            {"_format_version":"3.0",
             "services":[{"id":"{{{service}}}","name":"svc","host":"svc.internal",
                          "routes":[{"id":"{{{route}}}","name":"rt","paths":["/x"],
                                     "plugins":[{"id":"{{{plugin}}}","name":"cors","config":{}}]}]}],
             "upstreams":[{"id":"{{{upstream}}}","name":"up","targets":[{"id":"{{{target}}}","target":"10.1.1.1:80"}]}],
             "key_sets":[{"id":"{{{set}}}","name":"ks","keys":[{"id":"{{{key}}}","kid":"a","jwk":"{\"kid\":\"a\",\"kty\":\"oct\",\"k\":\"eA\"}"}]}]}
            """)!.AsObject();
        var flat = JsonNode.Parse($$$"""
            {"_format_version":"3.0",
             "plugins":[{"id":"{{{plugin}}}","name":"cors","config":{},"route":"rt"}],
             "routes":[{"id":"{{{route}}}","name":"rt","paths":["/x"],"service":{"name":"svc"}}],
             "services":[{"id":"{{{service}}}","name":"svc","host":"svc.internal"}],
             "targets":[{"id":"{{{target}}}","target":"10.1.1.1:80","upstream":"up"}],
             "upstreams":[{"id":"{{{upstream}}}","name":"up"}],
             "keys":[{"id":"{{{key}}}","kid":"a","jwk":"{\"kid\":\"a\",\"kty\":\"oct\",\"k\":\"eA\"}","set":{"name":"ks"}}],
             "key_sets":[{"id":"{{{set}}}","name":"ks"}]}
            """)!.AsObject();

        var fromNested = await ImportAndExportAsync(app, Cp(await app.CreateControlPlaneAsync("form-nested")), nested);
        var fromFlat = await ImportAndExportAsync(app, Cp(await app.CreateControlPlaneAsync("form-flat")), flat);
        Assert.Equal(fromNested.ToJsonString(), fromFlat.ToJsonString());
        Assert.Equal(route, fromFlat["plugins"]![0]!["route"]!.GetValue<string>());
    }

    [Fact]
    public async Task Sync_creates_updates_and_deletes_and_a_dry_run_shows_the_diff_without_writing()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var root = await app.CreateControlPlaneAsync("import-sync");
        var cp = Cp(root);
        await (await app.Client.PostJsonAsync(root + "/services", """{"name":"keep","host":"keep.internal"}""")).ExpectAsync(HttpStatusCode.Created);
        var change = await (await app.Client.PostJsonAsync(root + "/services", """{"name":"change","host":"old.internal"}""")).ExpectAsync(HttpStatusCode.Created);
        await (await app.Client.PostJsonAsync(root + "/services/change/routes", """{"name":"gone","paths":["/gone"]}""")).ExpectAsync(HttpStatusCode.Created);
        await (await app.Client.PostJsonAsync(root + "/consumers", """{"username":"gone-too"}""")).ExpectAsync(HttpStatusCode.Created);

        var file = JsonNode.Parse("""
            {"_format_version":"3.0",
             "services":[{"name":"keep","host":"keep.internal"},
                         {"name":"change","host":"new.internal","routes":[{"name":"kept-new","paths":["/new"]}]},
                         {"name":"added","host":"added.internal"}]}
            """)!.AsObject();
        var dry = await (await ImportAsync(app, cp, file, dryRun: true)).ExpectAsync(HttpStatusCode.OK);
        Assert.True(dry.GetProperty("dry_run").GetBoolean());
        Assert.False(dry.GetProperty("applied").GetBoolean());
        var changes = dry.GetProperty("changes").EnumerateArray()
            .Select(c => $"{c.GetProperty("action").GetString()} {c.GetProperty("entity_type").GetString()} {c.GetProperty("name").GetString()}")
            .Order().ToList();
        Assert.Equal(["create route kept-new", "create service added", "delete consumer gone-too", "delete route gone", "update service change"], changes);
        var update = dry.GetProperty("changes").EnumerateArray().Single(c => c.GetProperty("action").GetString() == "update");
        Assert.Equal(["host"], update.GetProperty("changed_fields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(change.GetProperty("id").GetString(), update.GetProperty("id").GetString());
        Assert.Equal(1, dry.GetProperty("summary").GetProperty("unchanged").GetInt32());
        // Nothing written.
        await (await app.Client.GetAsync(root + "/routes/gone", Ct)).ExpectAsync(HttpStatusCode.OK);
        await (await app.Client.GetAsync(root + "/services/added", Ct)).ExpectAsync(HttpStatusCode.NotFound);

        await (await ImportAsync(app, cp, file)).ExpectAsync(HttpStatusCode.OK);
        await (await app.Client.GetAsync(root + "/routes/gone", Ct)).ExpectAsync(HttpStatusCode.NotFound);
        await (await app.Client.GetAsync(root + "/consumers/gone-too", Ct)).ExpectAsync(HttpStatusCode.NotFound);
        var changed = await (await app.Client.GetAsync(root + "/services/change", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("new.internal", changed.GetProperty("host").GetString());
        Assert.Equal(change.GetProperty("id").GetString(), changed.GetProperty("id").GetString());
        Assert.Equal(change.GetProperty("created_at").GetInt64(), changed.GetProperty("created_at").GetInt64());
        var routes = await (await app.Client.GetAsync(root + "/services/change/routes", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["kept-new"], routes.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Names_swapped_between_entities_and_a_large_file_land_in_several_commits_as_one_change()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var root = await app.CreateControlPlaneAsync("import-large");
        var cp = Cp(root);
        var a = await (await app.Client.PostJsonAsync(root + "/services", """{"name":"a","host":"a.internal"}""")).ExpectAsync(HttpStatusCode.Created);
        var b = await (await app.Client.PostJsonAsync(root + "/services", """{"name":"b","host":"b.internal"}""")).ExpectAsync(HttpStatusCode.Created);
        var services = new JsonArray(
            new JsonObject { ["id"] = a.GetProperty("id").GetString(), ["name"] = "b", ["host"] = "a.internal" },
            new JsonObject { ["id"] = b.GetProperty("id").GetString(), ["name"] = "a", ["host"] = "b.internal" });
        for (var i = 0; i < 150; i++)
        {
            services.Add(new JsonObject
            {
                ["name"] = $"svc-{i:D3}",
                ["host"] = $"svc-{i}.internal",
                ["routes"] = new JsonArray(new JsonObject { ["name"] = $"route-{i:D3}", ["paths"] = new JsonArray($"/svc-{i}") }),
            });
        }
        var result = await (await ImportAsync(app, cp, new JsonObject { ["_format_version"] = "3.0", ["services"] = services }))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(300, result.GetProperty("summary").GetProperty("creating").GetInt32());
        Assert.Equal(2, result.GetProperty("summary").GetProperty("updating").GetInt32());

        var swappedA = await (await app.Client.GetAsync(root + "/services/a", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(b.GetProperty("id").GetString(), swappedA.GetProperty("id").GetString());
        // The two services written before the import may reach the snapshot first: wait for the import's.
        var exported = await ExportWhenAsync(app, cp, (_, config) => config["services"]?.AsArray().Count == 152);
        Assert.Equal(152, exported["services"]!.AsArray().Count);
        Assert.Equal(150, exported["routes"]!.AsArray().Count);
        // Several commits (the revision moved by more than one), and the last one cleared the import's marker: writes go through.
        Assert.True(result.GetProperty("revision").GetInt64() > 4, result.GetRawText());
        await (await app.Client.PostJsonAsync(root + "/services", """{"name":"after","host":"after.internal"}""")).ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Select_tags_limit_the_sync_to_tagged_entities_and_tag_what_the_file_creates()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var root = await app.CreateControlPlaneAsync("import-tags");
        var cp = Cp(root);
        await (await app.Client.PostJsonAsync(root + "/services", """{"name":"theirs","host":"t.internal","tags":["team-b"]}""")).ExpectAsync(HttpStatusCode.Created);
        await (await app.Client.PostJsonAsync(root + "/services", """{"name":"old-ours","host":"o.internal","tags":["team-a"]}""")).ExpectAsync(HttpStatusCode.Created);

        var file = JsonNode.Parse("""
            {"_format_version":"3.0","_info":{"select_tags":["team-a"]},
             "services":[{"name":"ours","host":"ours.internal"}],
             "routes":[{"name":"to-theirs","paths":["/t"],"service":"theirs"}]}
            """)!.AsObject();
        var result = await (await ImportAsync(app, cp, file)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, result.GetProperty("summary").GetProperty("deleting").GetInt32());
        await (await app.Client.GetAsync(root + "/services/theirs", Ct)).ExpectAsync(HttpStatusCode.OK);
        await (await app.Client.GetAsync(root + "/services/old-ours", Ct)).ExpectAsync(HttpStatusCode.NotFound);
        var ours = await (await app.Client.GetAsync(root + "/services/ours", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["team-a"], ours.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));

        // Deleting what the file does not manage is not its to do: a name held outside the tags is a conflict.
        var clash = JsonNode.Parse("""{"_format_version":"3.0","_info":{"select_tags":["team-a"]},"services":[{"name":"theirs","host":"x"}]}""")!;
        var refused = await (await ImportAsync(app, cp, clash)).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal("UNIQUE violation detected on '{name=\"theirs\"}'", refused.GetProperty("flattened_errors")[0].GetProperty("errors")[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_bad_file_is_refused_whole_with_every_error_and_where_it_is()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var root = await app.CreateControlPlaneAsync("import-errors");
        var cp = Cp(root);
        await (await app.Client.PostJsonAsync(root + "/services", """{"name":"existing","host":"e.internal"}""")).ExpectAsync(HttpStatusCode.Created);
        var hashBefore = await HashAsync(app, cp);

        var file = JsonNode.Parse("""
            {"_format_version":"3.0",
             "services":[{"name":"ok","host":"ok.internal","routes":[{"name":"no-rules"}]},
                         {"name":"bad","host":"bad.internal","port":"eighty","colour":"blue"},
                         {"name":"ok","host":"twice.internal"}],
             "plugins":[{"name":"cors","route":"nowhere"}],
             "consumers":[{"username":"c","oauth2_credentials":[{"name":"app","client_id":"x","client_secret":"y"}]}]}
            """)!;
        var response = await ImportAsync(app, cp, file);
        var body = await response.ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(14, body.GetProperty("code").GetInt32());
        var errors = body.GetProperty("flattened_errors").EnumerateArray()
            .Select(e => (Path: e.GetProperty("entity_path").GetString(), Text: e.GetProperty("errors").GetRawText()))
            .ToList();
        Assert.Contains(errors, e => e.Path == "consumers[0].oauth2_credentials" && e.Text.Contains("not supported"));
        Assert.DoesNotContain(errors, e => e.Path == "services[0]");

        // Without the structural problem, the entity errors: every one, each at its place.
        file["consumers"] = new JsonArray(new JsonObject { ["username"] = "c" });
        body = await (await ImportAsync(app, cp, file)).ExpectAsync(HttpStatusCode.BadRequest);
        errors = body.GetProperty("flattened_errors").EnumerateArray()
            .Select(e => (Path: e.GetProperty("entity_path").GetString(), Text: e.GetProperty("errors").GetRawText()))
            .ToList();
        Assert.Contains(errors, e => e.Path == "services[0].routes[0]" && e.Text.Contains("must set one of"));
        Assert.Contains(errors, e => e.Path == "services[1]" && e.Text.Contains("\"port\"") && e.Text.Contains("\"colour\"") && e.Text.Contains("unknown field"));
        Assert.Contains(errors, e => e.Path == "services[2]" && e.Text.Contains("UNIQUE violation"));
        Assert.Contains(errors, e => e.Path == "plugins[0]" && e.Text.Contains("nowhere"));
        Assert.Equal("service", body.GetProperty("flattened_errors")[1].GetProperty("entity_type").GetString());

        // Nothing was written.
        await (await app.Client.GetAsync(root + "/services/ok", Ct)).ExpectAsync(HttpStatusCode.NotFound);
        await (await app.Client.GetAsync(root + "/services/existing", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(hashBefore, await HashAsync(app, cp));
    }

    [Theory]
    [InlineData("""{"services":[]}""", "_format_version")]
    [InlineData("""{"_format_version":"2.1"}""", "deck file convert")]
    [InlineData("""{"_format_version":"3.0","services":{"name":"x"}}""", "expected an array")]
    [InlineData("""{"_format_version":"3.0","services":["x"]}""", "expected an object")]
    [InlineData("""{"_format_version":"3.0","_workspace":"default"}""", "not supported")]
    [InlineData("""{"_format_version":"3.0","servcies":[]}""", "unknown field")]
    [InlineData("""{"_format_version":"3.0","_info":{"select_tags":"a"}}""", "select_tags")]
    public async Task Structural_problems_are_named(string document, string expected)
    {
        await using var app = await RunningApp.StartAsync(storage);
        var cp = Cp(await app.CreateControlPlaneAsync("import-structure"));
        var body = await (await ImportAsync(app, cp, JsonNode.Parse(document)!)).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains(expected, body.GetProperty("flattened_errors").GetRawText());
    }

    [Fact]
    public async Task Yaml_files_import_and_bad_bodies_are_refused_without_a_500()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var root = await app.CreateControlPlaneAsync("import-yaml");
        var cp = Cp(root);
        const string yaml = """
            _format_version: "3.0"
            services:
            - name: yaml-svc
              host: yaml.internal
              port: 8080
              enabled: true
              tags: [a, "1"]
              routes:
              - name: yaml-route
                paths: [/y]
                strip_path: false
            """;
        await (await Put(yaml, "application/yaml")).ExpectAsync(HttpStatusCode.OK);
        var service = await (await app.Client.GetAsync(root + "/services/yaml-svc", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(8080, service.GetProperty("port").GetInt32());
        Assert.Equal(["a", "1"], service.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        var route = await (await app.Client.GetAsync(root + "/routes/yaml-route", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.False(route.GetProperty("strip_path").GetBoolean());

        await (await Put("services: [unclosed", "application/yaml")).ExpectAsync(HttpStatusCode.BadRequest);
        await (await Put("a: 1\n---\nb: 2\n", "application/yaml")).ExpectAsync(HttpStatusCode.BadRequest);
        await (await Put("a: &x [*x]\n", "application/yaml")).ExpectAsync(HttpStatusCode.BadRequest);
        await (await Put("[1, 2]", "application/json")).ExpectAsync(HttpStatusCode.BadRequest);
        await (await Put("{\"_format_version\":", "application/json")).ExpectAsync(HttpStatusCode.BadRequest);
        await (await Put("", "application/json")).ExpectAsync(HttpStatusCode.BadRequest);
        await (await Put("<xml/>", "application/xml")).ExpectAsync(HttpStatusCode.UnsupportedMediaType);
        var bomb = "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + string.Concat(Enumerable.Range(0, 9).Select(i => $"{(char)('b' + i)}: &{(char)('b' + i)} [*{(char)('a' + i)},*{(char)('a' + i)},*{(char)('a' + i)},*{(char)('a' + i)},*{(char)('a' + i)},*{(char)('a' + i)},*{(char)('a' + i)},*{(char)('a' + i)},*{(char)('a' + i)},*{(char)('a' + i)}]\n"));
        await (await Put(bomb, "application/yaml")).ExpectAsync(HttpStatusCode.BadRequest);
        await (await app.Client.PutAsync($"/v2/control-planes/{cp}/declarative-config?dry_run=maybe",
            new StringContent("{}", Encoding.UTF8, "application/json"), Ct)).ExpectAsync(HttpStatusCode.BadRequest);
        await (await app.Client.PutAsync($"/v2/control-planes/{Guid.NewGuid()}/declarative-config",
            new StringContent("""{"_format_version":"3.0"}""", Encoding.UTF8, "application/json"), Ct)).ExpectAsync(HttpStatusCode.NotFound);

        Task<HttpResponseMessage> Put(string text, string mediaType)
        {
            var content = new StringContent(text, Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            return app.Client.PutAsync($"/v2/control-planes/{cp}/declarative-config", content, Ct);
        }
    }

    [Fact]
    public async Task Groups_take_no_imports()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var group = await (await app.Client.PostJsonAsync("/v2/control-planes",
            """{"name":"import-group","cluster_type":"CLUSTER_TYPE_CONTROL_PLANE_GROUP"}""")).ExpectAsync(HttpStatusCode.Created);
        var body = await (await ImportAsync(app, group.GetProperty("id").GetString()!, JsonNode.Parse("""{"_format_version":"3.0"}""")!))
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("read-only", body.GetProperty("message").GetString());
    }
}
