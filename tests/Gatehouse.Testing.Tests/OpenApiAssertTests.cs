using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gatehouse.Testing.OpenApi;

namespace Gatehouse.Testing.Tests;

public sealed class OpenApiAssertTests
{
    private static readonly OpenApiDocument s_spec = OpenApiDocument.Parse("""
        openapi: 3.0.3
        paths:
          /things/{id}:
            get:
              responses:
                '200':
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [id, name]
                        properties:
                          id: {type: string}
                          name: {type: string}
                          notes: {type: array}
        """);

    [Fact]
    public void A_valid_body_passes() =>
        OpenApiAssert.ValidResponse(s_spec, "GET", "/things/{id}", 200, "application/json", Json.Parse("""{"id":"1","name":"n"}"""));

    [Fact]
    public void A_failure_lists_every_error_and_shows_the_body()
    {
        var failure = Assert.Throws<OpenApiAssertionException>(
            () => OpenApiAssert.ValidResponse(s_spec, "get", "/things/{id}", 200, "application/json", Json.Parse("""{"id":1}""")));
        Assert.Equal(
            """
            The 200 application/json body of GET /things/{id} does not match the spec: 2 errors
              $.name: is required but missing (at #/paths/~1things~1{id}/get/responses/200/content/application~1json/schema/required)
              $.id: expected string, got the number 1 (at #/paths/~1things~1{id}/get/responses/200/content/application~1json/schema/properties/id/type)
            Body:
            {
              "id": 1
            }
            """.ReplaceLineEndings("\n"),
            failure.Message.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_long_body_is_cut_short()
    {
        var notes = string.Join(",", Enumerable.Repeat("\"a note\"", 1000));
        var failure = Assert.Throws<OpenApiAssertionException>(
            () => OpenApiAssert.ValidResponse(s_spec, "GET", "/things/{id}", 200, "application/json", Json.Parse($$"""{"id":1,"name":"n","notes":[{{notes}}]}""")));
        Assert.Matches(@"Body \(the first 2000 of \d+ characters\):", failure.Message);
        Assert.True(failure.Message.Length < 3000);
    }

    [Fact]
    public void Xunit_reports_the_failure_as_an_assertion() =>
        Assert.Contains(typeof(OpenApiAssertionException).GetInterfaces(), type => type.Name == "IAssertionException");

    [Fact]
    public async Task A_response_is_checked_by_its_status_content_type_and_body()
    {
        using var valid = Response(HttpStatusCode.OK, """{"id":"1","name":"n"}""", "application/json; charset=utf-8");
        await OpenApiAssert.ValidResponseAsync(s_spec, "GET", "/things/{id}", valid, TestContext.Current.CancellationToken);

        using var invalid = Response(HttpStatusCode.OK, """{"id":"1"}""", "application/json");
        var failure = await Assert.ThrowsAsync<OpenApiAssertionException>(
            () => OpenApiAssert.ValidResponseAsync(s_spec, "GET", "/things/{id}", invalid, TestContext.Current.CancellationToken));
        Assert.Contains("$.name: is required but missing", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_response_that_is_not_json_fails_as_such()
    {
        using var response = Response(HttpStatusCode.OK, "<html/>", "application/json");
        var failure = await Assert.ThrowsAsync<OpenApiAssertionException>(
            () => OpenApiAssert.ValidResponseAsync(s_spec, "GET", "/things/{id}", response, TestContext.Current.CancellationToken));
        Assert.StartsWith("The 200 application/json body is not JSON", failure.Message, StringComparison.Ordinal);
        Assert.EndsWith("<html/>", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_response_without_a_content_type_fails()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent("{}"u8.ToArray()) };
        await Assert.ThrowsAsync<OpenApiAssertionException>(
            () => OpenApiAssert.ValidResponseAsync(s_spec, "GET", "/things/{id}", response, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void A_plain_json_schema_document_is_asserted_as_a_whole()
    {
        var schema = new JsonSchemaValidator(Json.Parse("""{"type":"object","required":["_format_version"]}"""));
        OpenApiAssert.Valid(schema, Json.Parse("""{"_format_version":"3.0"}"""));
        Assert.Contains(
            "$._format_version: is required but missing",
            Assert.Throws<OpenApiAssertionException>(() => OpenApiAssert.Valid(schema, Json.Parse("{}"))).Message,
            StringComparison.Ordinal);
    }

    private static HttpResponseMessage Response(HttpStatusCode status, string body, string contentType) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8) { Headers = { ContentType = MediaTypeHeaderValue.Parse(contentType) } } };
}
