using System.Text.Json;
using Gatehouse.Testing.OpenApi;

namespace Gatehouse.Testing.Tests;

/// <summary>Finding operations, responses and schemas in a small spec written for the purpose.</summary>
public sealed class OpenApiDocumentTests
{
    private static readonly OpenApiDocument s_spec = OpenApiDocument.Parse("""
        openapi: 3.1.0
        info: {title: Things, version: '1'}
        paths:
          /things/{id}:
            parameters:
              - {name: id, in: path, required: true, schema: {type: string}}
            get:
              responses:
                '200':
                  description: a thing
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Thing'}
                4XX:
                  $ref: '#/components/responses/Problem'
                default:
                  description: anything else
                  content:
                    '*/*':
                      schema: {type: string}
            delete:
              responses:
                '204': {description: gone}
          /texts:
            get:
              responses:
                '200':
                  description: text
                  content:
                    text/*:
                      schema: {type: string, maxLength: 3}
        components:
          responses:
            Problem:
              $ref: '#/components/responses/ProblemBody'
            ProblemBody:
              description: a problem
              content:
                application/problem+json:
                  schema: {$ref: '#/components/schemas/Problem'}
          schemas:
            Thing:
              type: object
              required: [id]
              properties:
                id: {type: string, format: uuid}
                parent: {$ref: '#/components/schemas/Thing'}
            Problem:
              type: object
              required: [status]
              properties:
                status: {type: integer}
        """);

    [Fact]
    public void The_version_is_read() => Assert.Equal("3.1.0", s_spec.Version);

    [Theory]
    [InlineData("GET")]
    [InlineData("get")]
    public void An_operation_is_found_by_method_in_any_case_and_path_template(string method) =>
        Assert.True(s_spec.Operation(method, "/things/{id}").TryGetProperty("responses", out _));

    [Fact]
    public void An_exact_status_and_content_type_win() =>
        Assert.Equal(
            "#/paths/~1things~1{id}/get/responses/200/content/application~1json/schema",
            s_spec.ResponseSchemaPointer("GET", "/things/{id}", 200, "application/json; charset=utf-8"));

    [Fact]
    public void A_status_without_its_own_response_falls_to_its_range_whose_references_are_followed() =>
        Assert.Equal(
            "#/components/responses/ProblemBody/content/application~1problem+json/schema",
            s_spec.ResponseSchemaPointer("GET", "/things/{id}", 404, "application/problem+json"));

    [Fact]
    public void A_json_content_type_matches_another_json_type() =>
        Assert.Equal(
            "#/components/responses/ProblemBody/content/application~1problem+json/schema",
            s_spec.ResponseSchemaPointer("GET", "/things/{id}", 409, "application/json"));

    [Fact]
    public void A_status_without_a_response_or_range_falls_to_default_and_its_wildcard() =>
        Assert.Equal(
            "#/paths/~1things~1{id}/get/responses/default/content/*~1*/schema",
            s_spec.ResponseSchemaPointer("GET", "/things/{id}", 503, "text/plain"));

    [Fact]
    public void A_type_wildcard_matches_its_subtypes() =>
        Assert.Equal(
            "#/paths/~1texts/get/responses/200/content/text~1*/schema",
            s_spec.ResponseSchemaPointer("GET", "/texts", 200, "text/plain"));

    [Fact]
    public void A_response_body_is_validated_against_its_schema()
    {
        Assert.Empty(s_spec.ValidateResponse("GET", "/things/{id}", 200, "application/json", Json.Parse("""{"id":"7f9fd312-a987-4628-b4c5-bb4f4fddd5f7"}""")));
        Assert.Equal(["$.id"], Json.Paths(s_spec.ValidateResponse("GET", "/things/{id}", 200, "application/json", Json.Parse("""{"id":"7"}"""))));
        Assert.Equal(["$.status"], Json.Paths(s_spec.ValidateResponse("GET", "/things/{id}", 404, "application/problem+json", Json.Parse("{}"))));
        Assert.Equal(["$"], Json.Paths(s_spec.ValidateResponse("GET", "/texts", 200, "text/plain", JsonSerializer.SerializeToElement("long"))));
    }

    [Fact]
    public void A_component_schema_is_found_by_name_and_validates_recursively()
    {
        Assert.Equal("#/components/schemas/Thing", s_spec.ComponentSchemaPointer("Thing"));
        Assert.Equal(
            ["$.parent.parent.id"],
            Json.Paths(s_spec.ValidateComponent("Thing", Json.Parse("""{"id":"7f9fd312-a987-4628-b4c5-bb4f4fddd5f7","parent":{"id":"7f9fd312-a987-4628-b4c5-bb4f4fddd5f7","parent":{"id":1}}}"""))));
    }

    [Fact]
    public void A_path_written_with_the_server_base_path_is_refused_with_the_right_one_suggested()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => s_spec.Operation("GET", "/v2/things/{thingId}"));
        Assert.Contains("Did you mean /things/{id}?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_method_is_refused_naming_those_there_are() =>
        Assert.Contains(
            "only get, delete",
            Assert.Throws<KeyNotFoundException>(() => s_spec.Operation("PUT", "/things/{id}")).Message,
            StringComparison.Ordinal);

    [Fact]
    public void A_status_the_operation_does_not_declare_is_refused() =>
        Assert.Contains(
            "no response for 200 (nor 2XX or default), only 204",
            Assert.Throws<KeyNotFoundException>(() => s_spec.ResponseSchemaPointer("DELETE", "/things/{id}", 200, "application/json")).Message,
            StringComparison.Ordinal);

    [Fact]
    public void A_response_without_a_body_has_no_schema() =>
        Assert.Contains(
            "declares no body",
            Assert.Throws<KeyNotFoundException>(() => s_spec.ResponseSchemaPointer("DELETE", "/things/{id}", 204, "application/json")).Message,
            StringComparison.Ordinal);

    [Fact]
    public void A_content_type_the_response_does_not_declare_is_refused() =>
        Assert.Contains(
            "declares no text/html body, only application/json",
            Assert.Throws<KeyNotFoundException>(() => s_spec.ResponseSchemaPointer("GET", "/things/{id}", 200, "text/html")).Message,
            StringComparison.Ordinal);

    [Fact]
    public void A_missing_component_is_refused() =>
        Assert.Throws<KeyNotFoundException>(() => s_spec.ComponentSchemaPointer("Nothing"));

    [Fact]
    public void A_json_document_loads_as_well() =>
        Assert.Equal(
            "#/paths/~1a/get/responses/200/content/application~1json/schema",
            OpenApiDocument.Parse("""{"openapi":"3.0.3","paths":{"/a":{"get":{"responses":{"200":{"content":{"application/json":{"schema":{}}}}}}}}}""")
                .ResponseSchemaPointer("get", "/a", 200, "application/json"));

    [Theory]
    [InlineData("swagger: '2.0'")]
    [InlineData("openapi: 3")] // a number, not the string the field must be
    [InlineData("[]")]
    public void Only_OpenAPI_3_documents_load(string text) =>
        Assert.Throws<FormatException>(() => OpenApiDocument.Parse(text));

    [Fact]
    public void A_circle_of_response_references_is_refused()
    {
        var spec = OpenApiDocument.Parse("""
            openapi: 3.0.0
            paths: {/a: {get: {responses: {'200': {$ref: '#/components/responses/A'}}}}}
            components: {responses: {A: {$ref: '#/components/responses/B'}, B: {$ref: '#/components/responses/A'}}}
            """);
        Assert.Throws<InvalidOperationException>(() => spec.ResponseSchemaPointer("GET", "/a", 200, "application/json"));
    }
}
