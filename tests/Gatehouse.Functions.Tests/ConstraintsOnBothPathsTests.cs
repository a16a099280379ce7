using System.Net;
using System.Text;
using System.Text.Json;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests;

/// <summary>
/// Kong's constraints between entities have one home, used by the Admin API and by the
/// declarative import: a write and an import that break the same rule get the same error, in
/// Kong's words. Each import carries select_tags, so what the Admin API wrote stays outside it
/// (and the refused import writes nothing).
/// </summary>
public sealed class ConstraintsOnBothPathsTests(StorageFixture storage) : IAsyncLifetime
{
    private RunningApp _app = null!;
    private string _base = null!;

    public async ValueTask InitializeAsync()
    {
        _app = await RunningApp.StartAsync(storage);
        _base = await _app.CreateControlPlaneAsync("both-paths");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<JsonElement> Post(string path, string json, HttpStatusCode expected = HttpStatusCode.Created) =>
        await (await _app.Client.PostJsonAsync(_base + path, json)).ExpectAsync(expected);

    /// <summary>The (field, message) pairs of a core-entities error; entity-wide ones have no field.</summary>
    private static List<(string? Field, string Message)> Details(JsonElement error) =>
        [.. error.GetProperty("details").EnumerateArray().SelectMany(d => d.GetProperty("messages").EnumerateArray()
            .Select(m => (d.TryGetProperty("field", out var f) ? f.GetString() : null, m.GetString()!)))];

    /// <summary>The same pairs, each on the entity at <paramref name="path"/> in a file.</summary>
    private static IEnumerable<(string Path, string? Field, string Message)> At(string path, IEnumerable<(string? Field, string Message)> errors) =>
        errors.Select(e => (path, e.Field, e.Message));

    /// <summary>Imports a file managing only what is tagged "file"; it must be refused. Returns each error with the path of its entity.</summary>
    private async Task<List<(string Path, string? Field, string Message)>> RefusedImportAsync(string entities)
    {
        var file = $$"""{"_format_version":"3.0","_info":{"select_tags":["file"]},{{entities}}}""";
        var response = await _app.Client.PutAsync(_base.Replace("/core-entities", "/declarative-config"),
            new StringContent(file, Encoding.UTF8, "application/json"), Ct);
        var body = await response.ExpectAsync(HttpStatusCode.BadRequest);
        return [.. body.GetProperty("flattened_errors").EnumerateArray().SelectMany(e => At(
            e.GetProperty("entity_path").GetString()!,
            e.GetProperty("errors").EnumerateArray()
                .Select(f => (f.TryGetProperty("field", out var field) ? field.GetString() : null, f.GetProperty("message").GetString()!))))];
    }

    [Fact]
    public async Task A_unique_value_held_by_another_entity()
    {
        await Post("/services", """{"name":"taken","host":"a.internal"}""");
        var write = await Post("/services", """{"name":"taken","host":"b.internal"}""", HttpStatusCode.Conflict);
        var import = await RefusedImportAsync("""  "services":[{"name":"taken","host":"b.internal"}]""");

        const string Kong = "UNIQUE violation detected on '{name=\"taken\"}'";
        Assert.Equal(Kong, write.GetProperty("message").GetString());
        Assert.Equal([("name", Kong)], Details(write));
        Assert.Equal(At("services[0]", Details(write)), import);
    }

    [Fact]
    public async Task A_cache_key_held_by_another_plugin_is_printed_as_Kong_prints_it()
    {
        await Post("/plugins", """{"name":"cors"}""");
        var write = await Post("/plugins", """{"name":"cors"}""", HttpStatusCode.Conflict);
        var import = await RefusedImportAsync("""  "plugins":[{"name":"cors"}]""");

        const string Kong = "UNIQUE violation detected on '{consumer=null,consumer_group=null,name=\"cors\",route=null,service=null}'";
        Assert.Equal(Kong, write.GetProperty("message").GetString());
        Assert.Equal([(null, Kong)], Details(write));
        Assert.Equal(At("plugins[0]", Details(write)), import);
    }

    [Fact]
    public async Task A_foreign_key_that_names_nothing()
    {
        var missing = Guid.NewGuid().ToString();
        var write = await Post("/routes", $$$"""{"paths":["/r"],"service":{"id":"{{{missing}}}"}}""", HttpStatusCode.BadRequest);
        var import = await RefusedImportAsync($$$"""  "routes":[{"paths":["/r"],"service":{"id":"{{{missing}}}"}}]""");

        var kong = $"the foreign key '{{id=\"{missing}\"}}' does not reference an existing 'services' entity.";
        Assert.Equal(kong, write.GetProperty("message").GetString());
        Assert.Equal([("service", kong)], Details(write));
        Assert.Equal(At("routes[0]", Details(write)), import);
    }

    [Fact]
    public async Task A_foreign_key_by_a_name_that_nothing_has()
    {
        var write = await Post("/routes", """{"paths":["/r"],"service":{"name":"ghost"}}""", HttpStatusCode.BadRequest);
        var import = await RefusedImportAsync("""  "routes":[{"paths":["/r"],"service":"ghost"}]""");

        const string Kong = "the foreign key cannot be resolved with '{name=\"ghost\"}' for an existing 'services' entity";
        Assert.Equal([("service.name", Kong)], Details(write));
        // The file names the service with a plain string, so the error is on the field itself.
        Assert.Equal(At("routes[0]", [("service", Kong)]), import);
    }

    [Fact]
    public async Task A_plugin_whose_protocols_miss_its_routes_or_its_services_routes()
    {
        await Post("/services", """{"name":"grpc-svc","host":"g.internal"}""");
        await Post("/services/grpc-svc/routes", """{"name":"grpc-only","protocols":["grpc"],"paths":["/g"]}""");

        var onRoute = await Post("/routes/grpc-only/plugins", """{"name":"cors","protocols":["http"]}""", HttpStatusCode.BadRequest);
        Assert.Equal([("protocols", "must match the associated route's protocols")], Details(onRoute));
        var onService = await Post("/services/grpc-svc/plugins", """{"name":"cors","protocols":["http"]}""", HttpStatusCode.BadRequest);
        Assert.Equal([("protocols", "must match the protocols of at least one route pointing to this Plugin's service")], Details(onService));

        var import = await RefusedImportAsync("""  "plugins":[{"name":"cors","protocols":["http"],"route":"grpc-only"},{"name":"cors","protocols":["http"],"service":"grpc-svc"}]""");
        Assert.Equal(At("plugins[0]", Details(onRoute)).Concat(At("plugins[1]", Details(onService))), import);
    }

    [Fact]
    public async Task A_delete_while_a_restricting_reference_remains()
    {
        await Post("/services", """{"name":"doomed","host":"d.internal","tags":["file"]}""");
        await Post("/services/doomed/routes", """{"name":"kept","paths":["/k"]}""");

        var write = await (await _app.Client.DeleteAsync(_base + "/services/doomed", Ct)).ExpectAsync(HttpStatusCode.BadRequest);
        // The file leaves the tagged service out, so deletes it; the untagged route is not the file's to delete.
        var import = await RefusedImportAsync("""  "services":[]""");

        const string Kong = "an existing 'routes' entity references this 'services' entity";
        Assert.Equal(Kong, write.GetProperty("message").GetString());
        Assert.Equal([("@referenced_by", "routes")], Details(write));
        Assert.Equal(At("(deleted) services/doomed", [(null, Kong)]), import);
    }
}
