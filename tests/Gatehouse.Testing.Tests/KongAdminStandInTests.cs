using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.Testing.Kong;

namespace Gatehouse.Testing.Tests;

/// <summary>The Kong Admin API stand-in answers as DB-less Kong does (kong/api/routes, spec 15-off_spec.lua).</summary>
public sealed class KongAdminStandInTests : IAsyncLifetime
{
    private const string ValidConfig = """{"_format_version":"3.0","services":[{"name":"orders","host":"orders.internal","routes":[{"name":"r","paths":["/orders"]}]}]}""";

    private readonly KongAdminStandIn _kong = new(new KongNodeOptions { Version = "3.9.1", Hostname = "kong-a", PluginVersions = new Dictionary<string, string> { ["key-auth"] = "3.9.0" } });
    private HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        await _kong.StartAsync(TestContext.Current.CancellationToken);
        _http = new HttpClient { BaseAddress = _kong.BaseAddress };
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _kong.DisposeAsync();
    }

    [Fact]
    public async Task Root_describes_the_node_its_plugins_and_db_less_mode()
    {
        var root = await GetJsonAsync("/");

        Assert.Equal("3.9.1", (string?)root["version"]);
        Assert.Equal(_kong.Node.NodeId, Guid.Parse((string)root["node_id"]!));
        Assert.Equal("kong-a", (string?)root["hostname"]);
        Assert.Equal("Welcome to kong", (string?)root["tagline"]);
        Assert.Equal("3.9.0", (string?)root["plugins"]!["available_on_server"]!["key-auth"]!["version"]);
        Assert.Equal(910, (int)root["plugins"]!["available_on_server"]!["rate-limiting"]!["priority"]!);
        Assert.Empty(root["plugins"]!["enabled_in_cluster"]!.AsArray());
        Assert.Equal("off", (string?)root["configuration"]!["database"]);
        Assert.Equal("traditional", (string?)root["configuration"]!["role"]);
    }

    [Fact]
    public async Task Status_reports_the_empty_hash_until_a_config_loads_then_the_md5_of_its_string()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal("00000000000000000000000000000000", (string?)(await GetJsonAsync("/status"))["configuration_hash"]);

        using var response = await PostConfigAsync(new JsonObject { ["config"] = ValidConfig }.ToJsonString(), "");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var expected = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(ValidConfig)));
        var status = await GetJsonAsync("/status");
        Assert.Equal(expected, (string?)status["configuration_hash"]);
        Assert.Null(status["database"]);
        Assert.NotNull(status["server"]!["total_requests"]);
        Assert.Equal([expected], _kong.Loads);
        Assert.Equal(ValidConfig, (string?)(await GetJsonAsync("/config"))["config"]);
        var created = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;
        Assert.Equal("orders", (string?)created["services"]![0]!["name"]);
    }

    [Fact]
    public async Task The_same_config_with_check_hash_is_not_modified_and_not_loaded_again()
    {
        var body = new JsonObject { ["config"] = ValidConfig }.ToJsonString();
        using var first = await PostConfigAsync(body, "?check_hash=1");
        using var second = await PostConfigAsync(body, "?check_hash=1");
        using var third = await PostConfigAsync(body, "");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Equal(HttpStatusCode.Created, third.StatusCode);
        Assert.Equal(2, _kong.Loads.Count);
    }

    [Fact]
    public async Task No_body_is_Kongs_expected_a_declarative_configuration()
    {
        using var response = await _http.PostAsync("/config", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("""{"message":"expected a declarative configuration"}""", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_config_string_that_is_not_an_object_is_Kongs_parse_error()
    {
        var (status, body) = await PostJsonAsync(new JsonObject { ["config"] = "bobby tables" }.ToJsonString(), "");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"code":14,"name":"invalid declarative configuration",
             "message":"declarative config is invalid: {error=\"failed parsing declarative configuration: expected an object\"}",
             "fields":{"error":"failed parsing declarative configuration: expected an object"}}
            """), body), body.ToJsonString());
    }

    [Fact]
    public async Task A_missing_format_version_is_a_top_level_field_error_even_when_flattened()
    {
        var (status, body) = await PostJsonAsync(new JsonObject { ["config"] = """{"services":[]}""" }.ToJsonString(), "?flatten_errors=1");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(14, (int)body["code"]!);
        Assert.Equal("invalid declarative configuration", (string?)body["name"]);
        Assert.Equal("declarative config is invalid: {_format_version=\"required field missing\"}", (string?)body["message"]);
        Assert.Equal("required field missing", (string?)body["fields"]!["_format_version"]);
        Assert.Empty(body["flattened_errors"]!.AsArray());
    }

    [Fact]
    public async Task Schema_errors_come_back_per_entity_with_nested_entities_hoisted_when_flattened()
    {
        const string Config = """
            {"_format_version":"3.0","services":[
              {"id":"0855b320-0dd2-547d-891d-601e9b38647f","name":"ok","host":"a.internal","tags":["t1"],
               "routes":[{"name":"bad-route","paths":[7]}]},
              {"name":"bad","host":"b.internal","port":"eighty","extra":1}]}
            """;
        var (plain, plainBody) = await PostJsonAsync(new JsonObject { ["config"] = Config }.ToJsonString(), "");
        var (flat, flatBody) = await PostJsonAsync(new JsonObject { ["config"] = Config }.ToJsonString(), "?flatten_errors=1");

        Assert.Equal(HttpStatusCode.BadRequest, plain);
        Assert.Equal(HttpStatusCode.BadRequest, flat);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"services":[{"routes":[{"paths":["expected a string"]}]},{"extra":"unknown field","port":"expected an integer"}]}
            """), plainBody["fields"]), plainBody["fields"]!.ToJsonString());
        Assert.Equal(
            "declarative config is invalid: {services={{routes={{paths={\"expected a string\"}}}},{extra=\"unknown field\",port=\"expected an integer\"}}}",
            (string?)plainBody["message"]);
        Assert.Null(plainBody["flattened_errors"]);

        Assert.Equal("declarative config is invalid: {}", (string?)flatBody["message"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            [
              {"entity_name":"bad-route","entity_type":"route",
               "entity":{"name":"bad-route","paths":[7],"service":{"id":"0855b320-0dd2-547d-891d-601e9b38647f"}},
               "errors":[{"type":"field","field":"paths.1","message":"expected a string"}]},
              {"entity_name":"bad","entity_type":"service",
               "entity":{"name":"bad","host":"b.internal","port":"eighty","extra":1},
               "errors":[{"type":"field","field":"extra","message":"unknown field"},{"type":"field","field":"port","message":"expected an integer"}]}
            ]
            """), flatBody["flattened_errors"]), flatBody["flattened_errors"]!.ToJsonString());
        Assert.Empty(_kong.Loads);
    }

    [Fact]
    public async Task A_plugin_the_node_does_not_have_is_Kongs_not_enabled_error()
    {
        await using var kong = new KongAdminStandIn(new KongNodeOptions { Plugins = new Dictionary<string, int> { ["cors"] = 2000 } });
        await kong.StartAsync(TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = kong.BaseAddress };
        using var response = await http.PostAsync("/config?flatten_errors=1", Json(new JsonObject
        {
            ["config"] = """{"_format_version":"3.0","plugins":[{"name":"cors"},{"name":"key-auth","tags":["x"]}]}""",
        }.ToJsonString()), TestContext.Current.CancellationToken);

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        var error = Assert.Single(body["flattened_errors"]!.AsArray())!;
        Assert.Equal("plugin", (string?)error["entity_type"]);
        Assert.Equal("key-auth", (string?)error["entity_name"]);
        Assert.Equal(["x"], error["entity_tags"]!.AsArray().Select(tag => (string)tag!));
        Assert.Equal("name", (string?)error["errors"]![0]!["field"]);
        Assert.Equal("plugin 'key-auth' not enabled; add it to the 'plugins' configuration property", (string?)error["errors"]![0]!["message"]);
    }

    [Fact]
    public async Task A_rejection_asked_for_refuses_the_next_config_once_as_an_entity_error()
    {
        _kong.RejectNextWith("uniqueness violation: 'services' entity with name set to 'orders' already declared");
        var body = new JsonObject { ["config"] = ValidConfig }.ToJsonString();

        var (status, refused) = await PostJsonAsync(body, "?check_hash=1&flatten_errors=1");
        using var second = await PostConfigAsync(body, "?check_hash=1&flatten_errors=1");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = Assert.Single(refused["flattened_errors"]!.AsArray())!;
        Assert.Equal("service", (string?)error["entity_type"]);
        Assert.Equal("orders", (string?)error["entity_name"]);
        Assert.Null(error["entity"]!["routes"]);
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""[{"type":"entity","message":"uniqueness violation: 'services' entity with name set to 'orders' already declared"}]"""),
            error["errors"]));
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
    }

    [Fact]
    public async Task Rejecting_all_refuses_until_turned_off()
    {
        _kong.RejectAll(true);
        using var refused = await PostConfigAsync(new JsonObject { ["config"] = ValidConfig }.ToJsonString(), "");
        using var again = await PostConfigAsync(new JsonObject { ["config"] = ValidConfig }.ToJsonString(), "");
        _kong.RejectAll(false);
        using var accepted = await PostConfigAsync(new JsonObject { ["config"] = ValidConfig }.ToJsonString(), "");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
    }

    [Fact]
    public async Task A_busy_node_answers_429_with_retry_after_and_loads_nothing()
    {
        _kong.Busy = true;
        _kong.BusyRetryAfterSeconds = 3;
        using var response = await PostConfigAsync(new JsonObject { ["config"] = ValidConfig }.ToJsonString(), "");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter?.Delta);
        Assert.Equal("""{"message":"Currently loading previous configuration"}""", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(KongAdminStandIn.EmptyConfigHash, _kong.CurrentHash);
    }

    [Fact]
    public async Task The_document_itself_as_the_body_loads_and_is_never_not_modified()
    {
        using var first = await PostConfigAsync(ValidConfig, "?check_hash=1");
        using var second = await PostConfigAsync(ValidConfig, "?check_hash=1");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(ValidConfig, _kong.CurrentConfig);
        Assert.Equal(2, _kong.Loads.Count);
    }

    [Fact]
    public async Task A_yaml_config_string_loads_as_Kong_reads_yaml_too()
    {
        using var response = await PostConfigAsync(new JsonObject { ["config"] = "_format_version: \"3.0\"\nconsumers:\n- username: bobby_tables\n" }.ToJsonString(), "");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private Task<HttpResponseMessage> PostConfigAsync(string body, string query) =>
        _http.PostAsync("/config" + query, Json(body), TestContext.Current.CancellationToken);

    private async Task<(HttpStatusCode Status, JsonNode Body)> PostJsonAsync(string body, string query)
    {
        using var response = await PostConfigAsync(body, query);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!);
    }

    private async Task<JsonNode> GetJsonAsync(string path) =>
        JsonNode.Parse(await _http.GetStringAsync(path, TestContext.Current.CancellationToken))!;
}
