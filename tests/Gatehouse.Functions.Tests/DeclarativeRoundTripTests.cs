using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas.PluginConfigs;
using Gatehouse.Testing;
using Gatehouse.Testing.Kong;
using Gatehouse.Testing.OpenApi;

namespace Gatehouse.Functions.Tests;

/// <summary>
/// Issue 12, "Must show: Round trip": a kong.yaml with every bundled plugin and every credential
/// type, imported, exported and imported again (into the same control plane and a fresh one),
/// changes nothing; and the basic-auth password in the file is never answered in plain text.
/// </summary>
public sealed class DeclarativeRoundTripTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Distinctive, so that finding it anywhere in an answer can only mean it leaked.</summary>
    private const string Password = "Gatehouse-RoundTrip-Pl41ntext-7f3a9c";

    private const string CaId = "3e0b6a52-8c1d-4f7e-9a2b-5d4c3b2a1f01";
    private const string MtlsId = "3e0b6a52-8c1d-4f7e-9a2b-5d4c3b2a1f02";

    private static readonly string s_ca = TestCertificates.CertificateAuthority("CN=Round Trip CA");
    private static readonly string s_rsaPublicKey = RsaPublicKey();

    /// <summary>Where each plugin goes that is not global, within each plugin's no_consumer/no_route/no_service limits.</summary>
    private static readonly string[] s_onOrders = ["key-auth", "basic-auth", "jwt", "hmac-auth", "acl", "proxy-cache"];
    private static readonly string[] s_onBilling = ["oauth2", "ldap-auth", "aws-lambda"];
    private static readonly string[] s_onOrdersApi = ["rate-limiting", "cors", "request-size-limiting", "response-transformer"];
    private static readonly string[] s_onChat = ["ai-proxy", "ai-prompt-decorator", "ai-prompt-template", "ai-prompt-guard", "ai-request-transformer", "ai-response-transformer"];
    private static readonly string[] s_onAlice = ["response-ratelimiting", "http-log", "correlation-id"];
    private static readonly string[] s_onBob = ["request-termination"];

    /// <summary>rate-limiting again, on the group: the same plugin at another scope.</summary>
    private static readonly string[] s_onGold = ["rate-limiting"];

    private static readonly string[] s_global = [.. PluginSchemas.Bundled.Except(
        [.. s_onOrders, .. s_onBilling, .. s_onOrdersApi, .. s_onChat, .. s_onAlice, .. s_onBob], StringComparer.Ordinal)];

    private static readonly int s_pluginCount = s_onOrders.Length + s_onBilling.Length + s_onOrdersApi.Length + s_onChat.Length
        + s_onAlice.Length + s_onBob.Length + s_onGold.Length + s_global.Length;

    /// <summary>
    /// Every entity the file makes: 2 services, 2 routes, the plugins, 2 consumers, 1 group, 2 memberships,
    /// 7 credentials (key, basic, hmac, 2 jwt, acl, mtls) and 1 CA certificate.
    /// </summary>
    private static readonly int s_entityCount = 2 + 2 + s_pluginCount + 2 + 1 + 2 + 7 + 1;

    private static string RsaPublicKey()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportSubjectPublicKeyInfoPem();
    }

    private static JsonArray Plugins(IEnumerable<string> names) =>
        [.. names.Select(name => (JsonNode)new JsonObject { ["name"] = name, ["config"] = MinimalPluginConfigs.For(name) })];

    /// <summary>The file a user writes: nested as decK writes it, no ids but where decK needs one, the password in plain text.</summary>
    private static JsonObject File(string password = Password)
    {
        var gold = MinimalPluginConfigs.For("rate-limiting");
        gold["minute"] = 600;
        gold["hour"] = 20_000;
        return new JsonObject
        {
            ["_format_version"] = "3.0",
            ["services"] = new JsonArray(
                new JsonObject
                {
                    ["name"] = "orders",
                    ["url"] = "https://orders.internal:8443/v1",
                    ["retries"] = 3,
                    ["routes"] = new JsonArray(
                        new JsonObject
                        {
                            ["name"] = "orders-api",
                            ["paths"] = new JsonArray("/orders"),
                            ["methods"] = new JsonArray("GET", "POST"),
                            ["plugins"] = Plugins(s_onOrdersApi),
                        },
                        new JsonObject
                        {
                            ["name"] = "chat",
                            ["paths"] = new JsonArray("/chat"),
                            ["strip_path"] = false,
                            ["plugins"] = Plugins(s_onChat),
                        }),
                    ["plugins"] = Plugins(s_onOrders),
                },
                new JsonObject { ["name"] = "billing", ["host"] = "billing.internal", ["port"] = 8080, ["plugins"] = Plugins(s_onBilling) }),
            ["consumers"] = new JsonArray(
                new JsonObject
                {
                    ["username"] = "alice",
                    ["custom_id"] = "alice-0001",
                    ["groups"] = new JsonArray(new JsonObject { ["name"] = "gold" }),
                    ["plugins"] = Plugins(s_onAlice),
                    ["keyauth_credentials"] = new JsonArray(new JsonObject { ["key"] = "alice-api-key-0123" }),
                    ["basicauth_credentials"] = new JsonArray(new JsonObject { ["username"] = "alice", ["password"] = password }),
                    ["hmacauth_credentials"] = new JsonArray(new JsonObject { ["username"] = "alice-hmac", ["secret"] = "alice-hmac-secret" }),
                    ["jwt_secrets"] = new JsonArray(
                        new JsonObject { ["key"] = "alice-hs256", ["secret"] = "alice-jwt-secret", ["algorithm"] = "HS256" },
                        // No secret, which RS256 does not use: the one generated at first is kept by every later import.
                        new JsonObject { ["key"] = "alice-rs256", ["algorithm"] = "RS256", ["rsa_public_key"] = s_rsaPublicKey }),
                    ["acls"] = new JsonArray(new JsonObject { ["group"] = "gold" }),
                    // An mTLS credential has no natural key: decK matches it by id, so a file gives one.
                    ["mtls_auth_credentials"] = new JsonArray(new JsonObject
                    {
                        ["id"] = MtlsId,
                        ["subject_name"] = "alice@example.com",
                        ["ca_certificate"] = new JsonObject { ["id"] = CaId },
                    }),
                },
                new JsonObject { ["username"] = "bob", ["plugins"] = Plugins(s_onBob) }),
            ["consumer_groups"] = new JsonArray(new JsonObject
            {
                ["name"] = "gold",
                ["consumers"] = new JsonArray(new JsonObject { ["username"] = "bob" }),
                ["plugins"] = new JsonArray(new JsonObject { ["name"] = "rate-limiting", ["config"] = gold }),
            }),
            ["plugins"] = Plugins(s_global),
            ["ca_certificates"] = new JsonArray(new JsonObject { ["id"] = CaId, ["cert"] = s_ca }),
        };
    }

    private static async Task<string> ImportAsync(RunningApp app, string cp, JsonNode document, bool dryRun = false)
    {
        var response = await app.Client.PutAsync($"/v2/control-planes/{cp}/declarative-config{(dryRun ? "?dry_run=true" : "")}",
            new StringContent(document.ToJsonString(), Encoding.UTF8, "application/json"), Ct);
        return await TextAsync(response);
    }

    /// <summary>The body as sent, after the status is checked: the password checks look at the raw text, not a parse of it.</summary>
    private static async Task<string> TextAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {text}");
        return text;
    }

    private static JsonElement Summary(string result) => JsonDocument.Parse(result).RootElement.GetProperty("summary");

    private static void AssertNoChanges(string result)
    {
        var body = JsonDocument.Parse(result).RootElement;
        Assert.True(body.GetProperty("changes").GetArrayLength() == 0, result);
        Assert.Equal(0, body.GetProperty("summary").GetProperty("creating").GetInt32());
        Assert.Equal(0, body.GetProperty("summary").GetProperty("updating").GetInt32());
        Assert.Equal(0, body.GetProperty("summary").GetProperty("deleting").GetInt32());
        Assert.Equal(s_entityCount, body.GetProperty("summary").GetProperty("unchanged").GetInt32());
        Assert.False(body.GetProperty("applied").GetBoolean());
    }

    private static async Task<string> HashAsync(RunningApp app, string cp) =>
        (await (await app.Client.GetAsync($"/v2/control-planes/{cp}/expected-config-hash", Ct)).ExpectAsync(HttpStatusCode.OK))
            .GetProperty("expected_hash").GetString()!;

    /// <summary>Imports and returns the export of what it made: the first snapshot after the one before the import.</summary>
    private static async Task<(string Result, JsonObject Export)> ImportAndExportAsync(RunningApp app, string cp, JsonNode document)
    {
        var before = await HashAsync(app, cp);
        var result = await ImportAsync(app, cp, document);
        return (result, await DeclarativeImportTests.ExportWhenAsync(app, cp, (hash, _) => hash != before));
    }

    private static string Cp(string root) => root.Split('/')[3];

    [Fact]
    public async Task A_file_with_every_plugin_and_credential_type_round_trips_without_changes()
    {
        Assert.Equal(PluginSchemas.Bundled.Order(StringComparer.Ordinal),
            s_onOrders.Concat(s_onBilling).Concat(s_onOrdersApi).Concat(s_onChat).Concat(s_onAlice).Concat(s_onBob).Concat(s_global).Order(StringComparer.Ordinal));
        await using var app = await RunningApp.StartAsync(storage);
        var cp = Cp(await app.CreateControlPlaneAsync("round-trip"));

        var (created, export) = await ImportAndExportAsync(app, cp, File());
        Assert.True(JsonDocument.Parse(created).RootElement.GetProperty("applied").GetBoolean());
        Assert.Equal(s_entityCount, Summary(created).GetProperty("creating").GetInt32());
        Assert.Equal(0, Summary(created).GetProperty("updating").GetInt32() + Summary(created).GetProperty("deleting").GetInt32());

        // Everything is there: each plugin with its config as given, each credential in its consumer.
        var plugins = export["plugins"]!.AsArray();
        Assert.Equal(s_pluginCount, plugins.Count);
        foreach (var plugin in plugins)
        {
            var name = plugin!["name"]!.GetValue<string>();
            var given = name == "rate-limiting" && plugin["consumer_group"] is not null
                ? File()["consumer_groups"]![0]!["plugins"]![0]!["config"]
                : MinimalPluginConfigs.For(name);
            Assert.Null(JsonSubset.FirstDifference(given, plugin["config"], name + ".config"));
        }
        var alice = export["consumers"]!.AsArray().Single(c => c!["username"]!.GetValue<string>() == "alice")!;
        Assert.Equal(2, alice["jwt_secrets"]!.AsArray().Count);
        Assert.Equal(s_rsaPublicKey, alice["jwt_secrets"]!.AsArray().Single(j => j!["algorithm"]!.GetValue<string>() == "RS256")!["rsa_public_key"]!.GetValue<string>());
        foreach (var credentials in new[] { "keyauth_credentials", "basicauth_credentials", "hmacauth_credentials", "acls", "mtls_auth_credentials" })
        {
            Assert.Single(alice[credentials]!.AsArray());
        }
        Assert.Equal(2, export["consumer_groups"]![0]!["consumers"]!.AsArray().Count);

        // What Kong would load: decK's schema, and the DB-less node's /config with all 45 plugins enabled.
        OpenApiAssert.Valid(ReferenceSpecs.KongDeclarativeConfig, JsonSerializer.SerializeToElement(export));
        await AssertKongLoadsAsync(export);

        // The export, imported into the same control plane: nothing to do, and the snapshot stays as it was.
        AssertNoChanges(await ImportAsync(app, cp, export));
        // The original file again, password in plain text and all: nothing to do either.
        AssertNoChanges(await ImportAsync(app, cp, File()));
        AssertNoChanges(await ImportAsync(app, cp, File(), dryRun: true));
        Assert.Equal(export.ToJsonString(), (await DeclarativeImportTests.ExportWhenAsync(app, cp, (_, _) => true)).ToJsonString());

        // Into a fresh control plane: the ids come from the export, so the two exports are the same, byte for byte.
        var copy = Cp(await app.CreateControlPlaneAsync("round-trip-copy"));
        var (copied, copyExport) = await ImportAndExportAsync(app, copy, export);
        Assert.Equal(s_entityCount, Summary(copied).GetProperty("creating").GetInt32());
        Assert.Equal(export.ToJsonString(), copyExport.ToJsonString());
        AssertNoChanges(await ImportAsync(app, copy, File()));

        // The YAML export is the same configuration: imported as YAML into another fresh control plane, it exports the same.
        var yamlCopy = Cp(await app.CreateControlPlaneAsync("round-trip-yaml"));
        var before = await HashAsync(app, yamlCopy);
        var fromYaml = await TextAsync(await app.Client.PutAsync($"/v2/control-planes/{yamlCopy}/declarative-config", Yaml(await YamlExportAsync(app, cp)), Ct));
        Assert.Equal(s_entityCount, Summary(fromYaml).GetProperty("creating").GetInt32());
        Assert.Equal(export.ToJsonString(), (await DeclarativeImportTests.ExportWhenAsync(app, yamlCopy, (hash, _) => hash != before)).ToJsonString());
    }

    /// <summary>
    /// A shared file (select_tags <c>shared</c>) and a team file that uses every decK feature of
    /// issue #12 item 5 against it; the team file imports once the shared one has.
    /// </summary>
    internal static (JsonNode Shared, JsonNode Team) DeckFeatureFiles()
    {
        const string GoldId = "6a2f63cf-6a0e-4bd4-9d1c-2f4b5b0c7a10";
        var shared = JsonNode.Parse("""
            {"_format_version":"3.0","_info":{"select_tags":["shared"]},
             "consumers":[{"username":"shared-carol"}],
             "services":[{"name":"shared-billing","host":"billing.internal"}]}
            """)!;
        var team = JsonNode.Parse("""
            {"_format_version":"3.0",
             "_info":{"select_tags":["team-a"],
                      "default_lookup_tags":{"consumers":["shared"],"services":["shared"]},
                      "defaults":{"service":{"retries":3},"route":{"strip_path":false}}},
             "_plugin_configs":{"limits":{"minute":10,"hour":500,"policy":"local"}},
             "services":[{"name":"orders","host":"orders.internal","plugins":[{"name":"rate-limiting","_config":"limits"}]}],
             "routes":[{"name":"billing-route","paths":["/billing"],"service":{"name":"shared-billing"}}],
             "consumer_groups":[{"id":"GOLD_ID","name":"gold","consumers":[{"username":"dave","custom_id":"c-dave"}]}],
             "consumers":[{"username":"dave","custom_id":"c-dave"},{"username":"erin","groups":[{"id":"GOLD_ID","name":"gold"}]}],
             "plugins":[
               {"name":"rate-limiting","consumer":"shared-carol","_config":"limits","config":{"minute":20}},
               {"name":"http-log","config":{"http_endpoint":"{vault://env/log-endpoint}","headers":{"Authorization":"{vault://env/log-token}"}}}],
             "certificates":[{"cert":"{vault://env/tls-cert}","key":"{vault://env/tls-key}","snis":["vault.example.com"]}]}
            """.Replace("GOLD_ID", GoldId, StringComparison.Ordinal))!;
        return (shared, team);
    }

    /// <summary>
    /// decK's own file features (issue #12, item 5), as two teams would keep their files: a shared
    /// file, and a team file that references the shared entities through
    /// <c>_info.default_lookup_tags</c> and uses <c>_plugin_configs</c>, <c>_info.defaults</c>,
    /// membership references by several keys, and vault references.
    /// </summary>
    [Fact]
    public async Task A_file_with_every_deck_feature_round_trips_without_changes()
    {
        var (shared, team) = DeckFeatureFiles();
        const int TeamEntities = 12;

        await using var app = await RunningApp.StartAsync(storage);
        var cp = Cp(await app.CreateControlPlaneAsync("round-trip-deck"));
        await ImportAsync(app, cp, shared);
        var (created, export) = await ImportAndExportAsync(app, cp, team);
        Assert.Equal(TeamEntities, Summary(created).GetProperty("creating").GetInt32());
        Assert.Equal(0, Summary(created).GetProperty("deleting").GetInt32());

        // What the features made: shared configs merged under the plugin's own, defaults filled, references found by their tags.
        var limits = export["plugins"]!.AsArray().Where(p => p!["name"]!.GetValue<string>() == "rate-limiting").Select(p => p!["config"]!).ToList();
        Assert.Equal([(10L, 500L), (20L, 500L)], limits.Select(c => (c["minute"]!.GetValue<long>(), c["hour"]!.GetValue<long>())).Order());
        var services = export["services"]!.AsArray();
        Assert.Equal(3, services.Single(s => s!["name"]!.GetValue<string>() == "orders")!["retries"]!.GetValue<long>());
        Assert.Equal(5, services.Single(s => s!["name"]!.GetValue<string>() == "shared-billing")!["retries"]!.GetValue<long>());
        var billingRoute = export["routes"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == "billing-route")!;
        Assert.False(billingRoute["strip_path"]!.GetValue<bool>());
        Assert.Equal(services.Single(s => s!["name"]!.GetValue<string>() == "shared-billing")!["id"]!.GetValue<string>(), billingRoute["service"]!["id"]!.GetValue<string>());
        var gold = export["consumer_groups"]!.AsArray().Single()!;
        Assert.Equal(["dave", "erin"], gold["consumers"]!.AsArray().Select(c => c!["username"]!.GetValue<string>()).Order());
        Assert.Equal("{vault://env/tls-cert}", export["certificates"]![0]!["cert"]!.GetValue<string>());
        Assert.Equal("{vault://env/log-token}", export["plugins"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "http-log")!["config"]!["headers"]!["Authorization"]!.GetValue<string>());
        OpenApiAssert.Valid(ReferenceSpecs.KongDeclarativeConfig, JsonSerializer.SerializeToElement(export));
        await AssertKongLoadsAsync(export);

        // The team file again, and the whole export: nothing to do.
        var again = JsonDocument.Parse(await ImportAsync(app, cp, team)).RootElement;
        Assert.True(again.GetProperty("changes").GetArrayLength() == 0, again.GetRawText());
        Assert.Equal(TeamEntities, again.GetProperty("summary").GetProperty("unchanged").GetInt32());
        var whole = JsonDocument.Parse(await ImportAsync(app, cp, export)).RootElement;
        Assert.True(whole.GetProperty("changes").GetArrayLength() == 0, whole.GetRawText());
        Assert.Equal(export.ToJsonString(), (await DeclarativeImportTests.ExportWhenAsync(app, cp, (_, _) => true)).ToJsonString());

        // Into a fresh control plane, the export makes the same configuration.
        var copy = Cp(await app.CreateControlPlaneAsync("round-trip-deck-copy"));
        var (_, copyExport) = await ImportAndExportAsync(app, copy, export);
        Assert.Equal(export.ToJsonString(), copyExport.ToJsonString());
    }

    private static StringContent Yaml(string text)
    {
        var content = new StringContent(text, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/yaml");
        return content;
    }

    [Fact]
    public async Task The_basic_auth_password_is_stored_as_Kong_hashes_it_and_never_answered_in_plain_text()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var root = await app.CreateControlPlaneAsync("round-trip-password");
        var cp = Cp(root);

        var (created, export) = await ImportAndExportAsync(app, cp, File());
        var answers = new List<(string What, string Text)> { ("the import's answer", created), ("the export", export.ToJsonString()) };

        var consumer = await (await app.Client.GetAsync(root + "/consumers/alice", Ct)).ExpectAsync(HttpStatusCode.OK);
        var consumerId = consumer.GetProperty("id").GetString()!;
        var list = await TextAsync(await app.Client.GetAsync(root + "/basic-auths", Ct));
        var credentialId = JsonDocument.Parse(list).RootElement.GetProperty("data")[0].GetProperty("id").GetString()!;
        var one = await TextAsync(await app.Client.GetAsync($"{root}/consumers/{consumerId}/basic-auth/{credentialId}", Ct));
        answers.Add(("GET /basic-auths", list));
        answers.Add(("GET /consumers/{c}/basic-auth/{id}", one));
        answers.Add(("GET /consumers/alice/basic-auth", await TextAsync(await app.Client.GetAsync(root + "/consumers/alice/basic-auth", Ct))));

        // Stored as Kong stores it (kong/plugins/basic-auth/crypto.lua): sha1(password .. consumer_id), in hex.
        var expected = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(Password + consumerId)));
        Assert.Equal(expected, BasicAuthPasswords.Hash(consumerId, Password));
        Assert.Equal(expected, JsonDocument.Parse(one).RootElement.GetProperty("password").GetString());
        Assert.Equal(expected, export["consumers"]!.AsArray().Single(c => c!["username"]!.GetValue<string>() == "alice")!
            ["basicauth_credentials"]![0]!["password"]!.GetValue<string>());

        // A dry run of a new password names the change and nothing of either password, and writes nothing.
        const string NewPassword = "Gatehouse-RoundTrip-N3wPl41ntext-b2e8d1";
        var dryRun = await ImportAsync(app, cp, File(NewPassword), dryRun: true);
        var change = Assert.Single(JsonDocument.Parse(dryRun).RootElement.GetProperty("changes").EnumerateArray());
        Assert.Equal("basicauth_credential", change.GetProperty("entity_type").GetString());
        Assert.Equal(["password"], change.GetProperty("changed_fields").EnumerateArray().Select(f => f.GetString()));
        answers.Add(("the dry run of a new password", dryRun));
        var fresh = Cp(await app.CreateControlPlaneAsync("round-trip-password-dry"));
        answers.Add(("a dry run into an empty control plane", await ImportAsync(app, fresh, File(), dryRun: true)));
        answers.Add(("the YAML export", await YamlExportAsync(app, cp)));
        Assert.Equal(expected, JsonDocument.Parse(await TextAsync(await app.Client.GetAsync(root + "/basic-auths/alice", Ct))).RootElement.GetProperty("password").GetString());

        foreach (var (what, text) in answers)
        {
            Assert.False(text.Contains(Password, StringComparison.Ordinal), $"{what} has the password in plain text: {text}");
            Assert.False(text.Contains(NewPassword, StringComparison.Ordinal), $"{what} has the new password in plain text");
        }
    }

    /// <summary>
    /// A file that leaves out a value Gatehouse generates (a credential's secret, a plugin's
    /// generated config value) keeps the one stored, as decK's sync of an unchanged file changes
    /// nothing: each import of the same file used to rotate the secret.
    /// </summary>
    [Theory]
    [InlineData("""{"consumers":[{"username":"carol","jwt_secrets":[{"key":"carol-iss"}]}]}""", "jwt_secret")]
    [InlineData("""{"consumers":[{"username":"carol","hmacauth_credentials":[{"username":"carol-hmac"}]}]}""", "hmacauth_credential")]
    [InlineData("""{"plugins":[{"name":"oauth2","config":{"enable_client_credentials":true}}]}""", "plugin")]
    [InlineData("""{"plugins":[{"name":"session"}]}""", "plugin")]
    public async Task Reimporting_a_file_without_a_generated_secret_changes_nothing(string entities, string entityType)
    {
        await using var app = await RunningApp.StartAsync(storage);
        var cp = Cp(await app.CreateControlPlaneAsync("round-trip-generated"));
        var file = JsonNode.Parse(entities)!.AsObject();
        file["_format_version"] = "3.0";
        var (_, before) = await ImportAndExportAsync(app, cp, file);

        var again = await ImportAsync(app, cp, file);
        Assert.True(JsonDocument.Parse(again).RootElement.GetProperty("changes").GetArrayLength() == 0, $"the {entityType} changed: {again}");
        Assert.Equal(before.ToJsonString(), (await DeclarativeImportTests.ExportWhenAsync(app, cp, (_, _) => true)).ToJsonString());
    }

    private static async Task<string> YamlExportAsync(RunningApp app, string cp)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/control-planes/{cp}/declarative-config");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/yaml"));
        var yaml = await TextAsync(await app.Client.SendAsync(request, Ct));
        Assert.Contains("basicauth_credentials:", yaml, StringComparison.Ordinal);
        return yaml;
    }

    /// <summary>POSTs the export to a DB-less Kong stand-in's <c>/config</c>, which checks it as Kong would before loading it.</summary>
    private static async Task AssertKongLoadsAsync(JsonObject export)
    {
        await using var kong = new KongAdminStandIn(new KongNodeOptions
        {
            // Priorities play no part in checking a config; the stand-in only needs every bundled name enabled.
            Plugins = PluginSchemas.Bundled.ToDictionary(name => name, name => KongNodeOptions.BundledPlugins.GetValueOrDefault(name), StringComparer.Ordinal),
        });
        await kong.StartAsync(Ct);
        using var http = new HttpClient { BaseAddress = kong.BaseAddress };
        var response = await http.PostAsync("/config?flatten_errors=1", new StringContent(export.ToJsonString(), Encoding.UTF8, "application/json"), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Kong refused the export: {body}");
    }
}
