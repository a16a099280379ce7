using System.Net;
using Gatehouse.Core.Entities.Schemas;
using Gatehouse.Testing;
using Gatehouse.Testing.OpenApi;

namespace Gatehouse.Functions.Tests;

public sealed class OpenApiDocumentTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_document_describes_every_collection_and_our_answers_validate_against_it()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var response = await app.Anonymous.GetAsync("/openapi/v1.json", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = OpenApiDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.StartsWith("3.1", document.Version);

        foreach (var schema in KongSchemas.All.Where(s => !s.Internal))
        {
            document.Operation("GET", $"/v2/control-planes/{{controlPlaneId}}/core-entities/{schema.Name}");
            document.Operation("DELETE", $"/v2/control-planes/{{controlPlaneId}}/core-entities/{schema.Name}/{{{schema.Singular}Key}}");
        }
        document.Operation("POST", "/v2/control-planes");
        document.Operation("GET", "/healthz");

        var cp = await (await app.Client.PostJsonAsync("/v2/control-planes", """{"name":"documented"}""")).ExpectAsync(HttpStatusCode.Created);
        var created = await app.Client.PostJsonAsync($"/v2/control-planes/{cp.GetProperty("id").GetString()}/core-entities/services", """{"name":"doc","host":"d.test"}""");
        await OpenApiAssert.ValidResponseAsync(document, "POST", "/v2/control-planes/{controlPlaneId}/core-entities/services", created, Ct);
        var invalid = await app.Client.PostJsonAsync($"/v2/control-planes/{cp.GetProperty("id").GetString()}/core-entities/services", """{"port":"x"}""");
        await OpenApiAssert.ValidResponseAsync(document, "POST", "/v2/control-planes/{controlPlaneId}/core-entities/services", invalid, Ct);
    }

    [Fact]
    public async Task Import_answers_validate_against_the_document()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var document = OpenApiDocument.Parse(await (await app.Anonymous.GetAsync("/openapi/v1.json", Ct)).Content.ReadAsStringAsync(Ct));
        const string Path = "/v2/control-planes/{controlPlaneId}/declarative-config";
        document.Operation("GET", Path);
        document.Operation("GET", "/v2/control-planes/{controlPlaneId}/group-status");
        var cp = (await (await app.Client.PostJsonAsync("/v2/control-planes", """{"name":"documented-import"}""")).ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetString();

        var applied = await app.Client.PutJsonAsync($"/v2/control-planes/{cp}/declarative-config?dry_run=true",
            """{"_format_version":"3.0","services":[{"name":"s","host":"h","routes":[{"name":"r","paths":["/"]}]}]}""");
        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        await OpenApiAssert.ValidResponseAsync(document, "PUT", Path, applied, Ct);
        var refused = await app.Client.PutJsonAsync($"/v2/control-planes/{cp}/declarative-config",
            """{"_format_version":"3.0","services":[{"name":"s","port":"x"}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        await OpenApiAssert.ValidResponseAsync(document, "PUT", Path, refused, Ct);
    }

    [Fact]
    public async Task The_explorer_page_is_served_at_docs()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var page = await app.Anonymous.GetAsync("/docs/index.html", Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("swagger-ui", await page.Content.ReadAsStringAsync(Ct));
    }
}
