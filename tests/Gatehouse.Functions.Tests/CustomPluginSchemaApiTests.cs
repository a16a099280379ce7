using System.Net;
using System.Text;
using System.Text.Json;
using Gatehouse.Testing;
using Gatehouse.Testing.OpenApi;

namespace Gatehouse.Functions.Tests;

/// <summary>
/// <c>/core-entities/plugin-schemas</c> over HTTP against Azurite: Konnect's shapes checked
/// against the spec, refusals with the line, and plugins of the uploaded name validated by it on
/// that control plane only.
/// </summary>
public sealed class CustomPluginSchemaApiTests(StorageFixture storage) : IAsyncLifetime
{
    private const string Collection = "/control-planes/{controlPlaneId}/core-entities/plugin-schemas";
    private const string Item = Collection + "/{name}";

    private const string Greeter = """
        local typedefs = require "kong.db.schema.typedefs"

        return {
          name = "greeter",
          fields = {
            { consumer = typedefs.no_consumer },
            { protocols = typedefs.protocols_http },
            { config = {
                type = "record",
                fields = {
                  { greeting = { type = "string", required = true, default = "hello", one_of = { "hello", "hi" } } },
                  { times = { type = "integer", between = { 1, 10 }, default = 1 } },
                },
              },
            },
          },
        }
        """;

    private RunningApp _app = null!;
    private string _base = null!;
    private string _other = null!;

    public async ValueTask InitializeAsync()
    {
        _app = await RunningApp.StartAsync(storage);
        _base = await _app.CreateControlPlaneAsync("custom-schemas");
        _other = await _app.CreateControlPlaneAsync("custom-schemas-other");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static OpenApiDocument Spec => ReferenceSpecs.ControlPlanesConfig;

    private HttpClient Api => _app.Client;

    private static string Body(string lua) => JsonSerializer.Serialize(new { lua_schema = lua });

    [Fact]
    public async Task The_list_pages_by_name_and_a_bad_cursor_or_size_is_a_400()
    {
        var names = new[] { "paged-e", "paged-a", "paged-d", "paged-b", "paged-c" };
        foreach (var name in names)
        {
            var lua = $"return {{ name = \"{name}\", fields = {{ {{ config = {{ type = \"record\", fields = {{}} }} }} }} }}";
            (await Api.PostJsonAsync($"{_other}/plugin-schemas", Body(lua))).EnsureSuccessStatusCode();
        }
        var seen = new List<string>();
        var url = $"{_other}/plugin-schemas?page[size]=2";
        var pages = 0;
        while (true)
        {
            var response = await Api.GetAsync(url, Ct);
            await OpenApiAssert.ValidResponseAsync(Spec, "GET", Collection, response, Ct);
            var page = await response.JsonAsync();
            pages++;
            Assert.Equal(5, page.GetProperty("page").GetProperty("total_count").GetInt32());
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()!));
            if (!page.GetProperty("page").TryGetProperty("next", out var next))
            {
                break;
            }
            if (pages == 1)
            {
                // A schema deleted between pages (the last one the cursor names) does not lose the place.
                (await Api.DeleteAsync($"{_other}/plugin-schemas/paged-b", Ct)).EnsureSuccessStatusCode();
                seen.Remove("paged-b");
                (await Api.PostJsonAsync($"{_other}/plugin-schemas", Body("return { name = \"paged-b\", fields = { { config = { type = \"record\", fields = {} } } } }"))).EnsureSuccessStatusCode();
            }
            url = $"{_other}/plugin-schemas?page[size]=2&page[after]={next.GetString()}";
        }
        Assert.Equal(3, pages);
        Assert.Equal(["paged-a", "paged-c", "paged-d", "paged-e"], seen);

        foreach (var bad in new[] { "page[size]=0", "page[size]=1001", "page[size]=x", "page[after]=%25%25%25", "page[after]=_w" })
        {
            var refused = await Api.GetAsync($"{_other}/plugin-schemas?{bad}", Ct);
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"{bad}: {(int)refused.StatusCode}");
        }
    }

    [Fact]
    public async Task Upload_get_list_replace_and_delete_in_the_specs_shapes()
    {
        var created = await Api.PostJsonAsync($"{_base}/plugin-schemas", Body(Greeter));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await OpenApiAssert.ValidResponseAsync(Spec, "POST", Collection, created, Ct);
        var item = (await created.JsonAsync()).GetProperty("item");
        Assert.Equal("greeter", item.GetProperty("name").GetString());
        Assert.Equal(Greeter, item.GetProperty("lua_schema").GetString());
        var createdAt = item.GetProperty("created_at").GetInt64();
        Assert.InRange(createdAt, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);

        var got = await Api.GetAsync($"{_base}/plugin-schemas/greeter", Ct);
        await OpenApiAssert.ValidResponseAsync(Spec, "GET", Item, got, Ct);
        Assert.Equal(Greeter, (await got.JsonAsync()).GetProperty("item").GetProperty("lua_schema").GetString());

        var listed = await Api.GetAsync($"{_base}/plugin-schemas", Ct);
        await OpenApiAssert.ValidResponseAsync(Spec, "GET", Collection, listed, Ct);
        var list = await listed.JsonAsync();
        Assert.Equal(["greeter"], list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()));
        Assert.Equal(1, list.GetProperty("page").GetProperty("total_count").GetInt32());
        Assert.Equal(0, (await (await Api.GetAsync($"{_other}/plugin-schemas", Ct)).ExpectAsync(HttpStatusCode.OK)).GetProperty("items").GetArrayLength());

        var replacement = Greeter.Replace("\"hello\", \"hi\"", "\"hello\", \"hi\", \"hey\"", StringComparison.Ordinal);
        var replaced = await Api.PutJsonAsync($"{_base}/plugin-schemas/greeter", Body(replacement));
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        await OpenApiAssert.ValidResponseAsync(Spec, "PUT", Item, replaced, Ct);
        var replacedItem = (await replaced.JsonAsync()).GetProperty("item");
        Assert.Equal(replacement, replacedItem.GetProperty("lua_schema").GetString());
        Assert.Equal(createdAt, replacedItem.GetProperty("created_at").GetInt64());

        var deleted = await Api.DeleteAsync($"{_base}/plugin-schemas/greeter", Ct);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var gone = await Api.GetAsync($"{_base}/plugin-schemas/greeter", Ct);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        await OpenApiAssert.ValidResponseAsync(Spec, "GET", Item, gone, Ct);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.DeleteAsync($"{_base}/plugin-schemas/greeter", Ct)).StatusCode);

        // PUT creates as well.
        Assert.Equal(HttpStatusCode.OK, (await Api.PutJsonAsync($"{_base}/plugin-schemas/greeter", Body(Greeter))).StatusCode);
    }

    [Fact]
    public async Task Refusals_name_the_line_the_name_or_what_is_missing()
    {
        var code = await Api.PostJsonAsync($"{_base}/plugin-schemas", Body("local x = 1\n\nlocal function validate(v)\n  return true\nend\nreturn {}"));
        Assert.Equal(HttpStatusCode.BadRequest, code.StatusCode);
        await OpenApiAssert.ValidResponseAsync(Spec, "POST", Collection, code, Ct);
        Assert.Equal("lua_schema: line 3: function definitions are not supported", (await code.JsonAsync()).GetProperty("message").GetString());

        var bundled = await Api.PostJsonAsync($"{_base}/plugin-schemas", Body(Greeter.Replace("\"greeter\"", "\"key-auth\"", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Conflict, bundled.StatusCode);
        await OpenApiAssert.ValidResponseAsync(Spec, "POST", Collection, bundled, Ct);
        Assert.Contains("bundled", (await bundled.JsonAsync()).GetProperty("message").GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Created, (await Api.PostJsonAsync($"{_base}/plugin-schemas", Body(Greeter))).StatusCode);
        var twice = await Api.PostJsonAsync($"{_base}/plugin-schemas", Body(Greeter));
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal("a custom plugin schema named 'greeter' already exists", (await twice.JsonAsync()).GetProperty("message").GetString());

        var mismatch = await Api.PutJsonAsync($"{_base}/plugin-schemas/other-name", Body(Greeter));
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);
        Assert.Equal("lua_schema: the schema's name 'greeter' is not 'other-name', the name in the path", (await mismatch.JsonAsync()).GetProperty("message").GetString());

        foreach (var body in new[] { "{}", """{"lua_schema":5}""", """{"lua_schema":""}""" })
        {
            var missing = await Api.PostJsonAsync($"{_base}/plugin-schemas", body);
            Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
            Assert.Equal("lua_schema: must be a non-empty string", (await missing.JsonAsync()).GetProperty("message").GetString());
        }
        Assert.Equal(HttpStatusCode.NotFound, (await Api.PostJsonAsync($"/v2/control-planes/{Guid.NewGuid()}/core-entities/plugin-schemas", Body(Greeter))).StatusCode);
    }

    [Fact]
    public async Task Plugins_of_the_name_validate_against_the_schema_on_that_control_plane_only_and_keep_it_from_deletion()
    {
        Assert.Equal(HttpStatusCode.Created, (await Api.PostJsonAsync($"{_base}/plugin-schemas", Body(Greeter))).StatusCode);

        var invalid = await Api.PostJsonAsync($"{_base}/plugins", """{"name":"greeter","config":{"greeting":"yo","times":11}}""");
        var refusal = await invalid.ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["config.greeting: expected one of: hello, hi", "config.times: value should be between 1 and 10"], Details(refusal));
        var scoped = await (await Api.PostJsonAsync($"{_base}/plugins", """{"name":"greeter","config":{},"consumer":{"id":"8d3b4a3e-1b7c-4b8e-9a3e-2b1c4d5e6f70"}}"""))
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("consumer: value must be null", Details(scoped));

        var created = await (await Api.PostJsonAsync($"{_base}/plugins", """{"name":"greeter","config":{"times":3}}""")).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("""{"greeting":"hello","times":3}""", created.GetProperty("config").GetRawText().Replace(" ", "", StringComparison.Ordinal));
        var id = created.GetProperty("id").GetString();
        // Valid against the control plane's own schema, so not listed among plugins that no longer validate.
        var listed = await (await Api.GetAsync($"{_base}/invalid-plugins", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(listed.GetProperty("data").EnumerateArray());
        // PATCH keeps validating by the stored name.
        await (await Api.PatchJsonAsync($"{_base}/plugins/{id}", """{"config":{"times":0}}""")).ExpectAsync(HttpStatusCode.BadRequest);

        // The schema endpoints know it here, and only here.
        var schema = await (await Api.GetAsync($"{_base}/schemas/plugins/greeter", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Contains("\"one_of\":[\"hello\",\"hi\"]", schema.GetRawText().Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("greeter", (await (await Api.GetAsync($"{_base}/v1/available-plugins", Ct)).ExpectAsync(HttpStatusCode.OK)).GetProperty("names").EnumerateArray().Select(n => n.GetString()));
        await (await Api.PostJsonAsync($"{_base}/schemas/plugins/validate", """{"name":"greeter","config":{"greeting":"yo"}}""")).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetAsync($"{_other}/schemas/plugins/greeter", Ct)).StatusCode);
        Assert.DoesNotContain("greeter", (await (await Api.GetAsync($"{_other}/v1/available-plugins", Ct)).ExpectAsync(HttpStatusCode.OK)).GetProperty("names").EnumerateArray().Select(n => n.GetString()));
        // Without the schema, the other control plane refuses the name, as Kong refuses a plugin it has not loaded.
        var elsewhere = await (await Api.PostJsonAsync($"{_other}/plugins", """{"name":"greeter","config":{"greeting":"yo"}}""")).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("plugin 'greeter' not enabled", elsewhere.GetRawText().Replace("\\u0027", "'", StringComparison.Ordinal), StringComparison.Ordinal);

        var inUse = await Api.DeleteAsync($"{_base}/plugin-schemas/greeter", Ct);
        Assert.Equal(HttpStatusCode.Conflict, inUse.StatusCode);
        // The spec declares no 409 for this DELETE (the refusal is Gatehouse's); it is shaped as the spec's other conflicts.
        var conflict = await inUse.JsonAsync();
        Assert.Empty(Spec.ValidateComponent("KonnectCPLegacyConflictError", conflict));
        Assert.Contains($"in use by plugin {id}", conflict.GetProperty("message").GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NoContent, (await Api.DeleteAsync($"{_base}/plugins/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Api.DeleteAsync($"{_base}/plugin-schemas/greeter", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_replacement_that_would_refuse_a_stored_plugin_is_a_409_naming_it_and_a_compatible_one_is_taken()
    {
        (await Api.PostJsonAsync($"{_other}/plugin-schemas", Body(Greeter))).EnsureSuccessStatusCode();
        var plugin = await (await Api.PostJsonAsync($"{_other}/plugins", """{"name":"greeter","config":{"greeting":"hi"}}""")).ExpectAsync(HttpStatusCode.Created);
        var id = plugin.GetProperty("id").GetString();

        var narrower = Greeter.Replace("""one_of = { "hello", "hi" }""", """one_of = { "hello", "hey" }""", StringComparison.Ordinal);
        var refused = await Api.PutJsonAsync($"{_other}/plugin-schemas/greeter", Body(narrower));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var message = (await refused.JsonAsync()).GetProperty("message").GetString()!;
        Assert.Contains($"refuses 1 stored plugin(s) of that name: plugin {id} (config.greeting: expected one of: hello, hey)", message, StringComparison.Ordinal);
        // Nothing changed: the old schema still stands.
        Assert.Equal(Greeter, (await (await Api.GetAsync($"{_other}/plugin-schemas/greeter", Ct)).JsonAsync()).GetProperty("item").GetProperty("lua_schema").GetString());

        var wider = Greeter.Replace("""one_of = { "hello", "hi" }""", """one_of = { "hello", "hi", "hey" }""", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await Api.PutJsonAsync($"{_other}/plugin-schemas/greeter", Body(wider))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Api.DeleteAsync($"{_other}/plugins/{id}", Ct)).StatusCode);
        // With no plugin left, any replacement is taken.
        Assert.Equal(HttpStatusCode.OK, (await Api.PutJsonAsync($"{_other}/plugin-schemas/greeter", Body(narrower))).StatusCode);
    }

    /// <summary>The core-entities error's details as "field: message", sorted.</summary>
    private static List<string> Details(JsonElement error) =>
        [.. error.GetProperty("details").EnumerateArray()
            .SelectMany(d => d.GetProperty("messages").EnumerateArray().Select(m => $"{(d.TryGetProperty("field", out var field) ? field.GetString() : "@entity")}: {m.GetString()}"))
            .Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Mutated_schemas_never_get_a_5xx_and_refusals_store_nothing()
    {
        var random = new Random(1202);
        var splices = new[] { "{", "}", "function", "(", "\"", "[[", "for", "typedefs.", "1e999", "--[[", "\0", "\n", "==" };
        var stored = 0;
        for (var i = 0; i < 60; i++)
        {
            var mutant = new StringBuilder(Greeter);
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                var at = random.Next(mutant.Length);
                if (random.Next(2) == 0)
                {
                    mutant.Insert(at, splices[random.Next(splices.Length)]);
                }
                else
                {
                    mutant.Remove(at, Math.Min(random.Next(1, 15), mutant.Length - at));
                }
            }
            var name = $"fuzz{i}";
            var text = mutant.ToString().Replace("\"greeter\"", $"\"{name}\"", StringComparison.Ordinal);
            var response = await Api.PutJsonAsync($"{_base}/plugin-schemas/{name}", Body(text));
            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} for mutant {i}: {await response.Content.ReadAsStringAsync(Ct)}");
            var get = await Api.GetAsync($"{_base}/plugin-schemas/{name}", Ct);
            Assert.Equal(response.StatusCode == HttpStatusCode.OK ? HttpStatusCode.OK : HttpStatusCode.NotFound, get.StatusCode);
            stored += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
        }
        var deep = await Api.PostJsonAsync($"{_base}/plugin-schemas", Body("return " + new string('{', 60_000)));
        Assert.Equal(HttpStatusCode.BadRequest, deep.StatusCode);
        Assert.Equal(stored, (await (await Api.GetAsync($"{_base}/plugin-schemas", Ct)).ExpectAsync(HttpStatusCode.OK)).GetProperty("page").GetProperty("total_count").GetInt32());
    }
}
