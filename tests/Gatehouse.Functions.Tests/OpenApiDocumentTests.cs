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
    public async Task The_explorer_page_is_served_at_docs()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var page = await app.Anonymous.GetAsync("/docs/index.html", Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("swagger-ui", await page.Content.ReadAsStringAsync(Ct));
    }
}
