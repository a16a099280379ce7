using System.Net;
using System.Text;
using System.Text.Json;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests;

/// <summary>
/// A plugin name without a schema is refused as Kong refuses it, on <c>name</c> and with nothing
/// else, on every path that writes plugins and in a declarative import; nothing is stored.
/// </summary>
public sealed class UnknownPluginNameTests(StorageFixture storage)
{
    private const string Refusal = "plugin 'no-such-plugin' not enabled; add it to the 'plugins' configuration property";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static void IsTheRefusalAlone(JsonElement error)
    {
        Assert.Equal(3, error.GetProperty("code").GetInt32());
        var detail = Assert.Single(error.GetProperty("details").EnumerateArray());
        Assert.Equal("name", detail.GetProperty("field").GetString());
        Assert.Equal(Refusal, Assert.Single(detail.GetProperty("messages").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task An_unknown_name_is_a_400_on_name_on_every_plugin_write_path_and_nothing_is_stored()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var root = await app.CreateControlPlaneAsync("unknown-plugins");
        var api = app.Client;
        async Task<JsonElement> Created(string path, string json) => await (await api.PostJsonAsync(root + path, json)).ExpectAsync(HttpStatusCode.Created);
        await Created("/services", """{"name":"s","host":"s.internal"}""");
        await Created("/routes", """{"name":"r","paths":["/r"]}""");
        await Created("/consumers", """{"username":"c"}""");
        await Created("/consumer_groups", """{"name":"g"}""");
        var cors = (await Created("/services/s/plugins", """{"name":"cors"}""")).GetProperty("id").GetString();

        // Other invalid fields are not reported: Kong stops at the name.
        const string Body = """{"name":"no-such-plugin","config":{"x":1},"protocols":["nope"]}""";
        foreach (var collection in new[] { "/plugins", "/services/s/plugins", "/routes/r/plugins", "/consumers/c/plugins", "/consumer_groups/g/plugins" })
        {
            IsTheRefusalAlone(await (await api.PostJsonAsync(root + collection, Body)).ExpectAsync(HttpStatusCode.BadRequest));
            IsTheRefusalAlone(await (await api.PutJsonAsync($"{root}{collection}/{Guid.NewGuid()}", Body)).ExpectAsync(HttpStatusCode.BadRequest));
            IsTheRefusalAlone(await (await api.PutJsonAsync($"{root}{collection}/by-instance-name", Body)).ExpectAsync(HttpStatusCode.BadRequest));
        }
        IsTheRefusalAlone(await (await api.PatchJsonAsync($"{root}/plugins/{cors}", Body)).ExpectAsync(HttpStatusCode.BadRequest));
        IsTheRefusalAlone(await (await api.PatchJsonAsync($"{root}/services/s/plugins/{cors}", Body)).ExpectAsync(HttpStatusCode.BadRequest));

        var plugins = await (await api.GetAsync(root + "/plugins", Ct)).ExpectAsync(HttpStatusCode.OK);
        var only = Assert.Single(plugins.GetProperty("data").EnumerateArray());
        Assert.Equal("cors", only.GetProperty("name").GetString());
    }

    [Fact]
    public async Task An_unknown_name_in_an_import_is_refused_at_its_place_in_the_file_and_nothing_is_written()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var root = await app.CreateControlPlaneAsync("unknown-plugins-import");
        var cp = root.Split('/')[3];
        const string File = """
            {"_format_version":"3.0",
             "services":[{"name":"s","host":"s.internal","plugins":[{"name":"cors"},{"name":"no-such-plugin","config":{"x":1}}]}],
             "plugins":[{"name":"no-such-plugin"}]}
            """;
        var refused = await (await app.Client.PutAsync($"/v2/control-planes/{cp}/declarative-config",
            new StringContent(File, Encoding.UTF8, "application/json"), Ct)).ExpectAsync(HttpStatusCode.BadRequest);

        Assert.Equal(14, refused.GetProperty("code").GetInt32());
        var errors = refused.GetProperty("flattened_errors").EnumerateArray().ToDictionary(e => e.GetProperty("entity_path").GetString()!);
        Assert.Equal(["plugins[0]", "services[0].plugins[1]"], errors.Keys.Order(StringComparer.Ordinal));
        foreach (var error in errors.Values)
        {
            Assert.Equal("plugin", error.GetProperty("entity_type").GetString());
            var field = Assert.Single(error.GetProperty("errors").EnumerateArray());
            Assert.Equal(("field", "name", Refusal), (field.GetProperty("type").GetString(), field.GetProperty("field").GetString(), field.GetProperty("message").GetString()));
        }
        await (await app.Client.GetAsync(root + "/services/s", Ct)).ExpectAsync(HttpStatusCode.NotFound);
    }
}
