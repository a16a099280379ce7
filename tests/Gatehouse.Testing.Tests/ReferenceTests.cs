using Gatehouse.Testing.OpenApi;

namespace Gatehouse.Testing.Tests;

/// <summary>$ref: local JSON pointers, chains of them, recursion, and what is not supported.</summary>
public sealed class ReferenceTests
{
    [Fact]
    public void A_reference_is_followed_and_its_errors_point_into_the_target()
    {
        var error = Assert.Single(Json.Errors(
            """{"definitions":{"s":{"type":"string"}},"properties":{"a":{"$ref":"#/definitions/s"}}}""",
            """{"a":1}"""));
        Assert.Equal("$.a", error.Path);
        Assert.Equal("#/definitions/s/type", error.SchemaPath);
    }

    [Fact]
    public void Chains_of_references_are_followed() =>
        Json.AssertOutcome(
            """{"$ref":"#/definitions/a","definitions":{"a":{"$ref":"#/definitions/b"},"b":{"$ref":"#/definitions/c"},"c":{"type":"integer"}}}""",
            "\"x\"",
            "$");

    [Fact]
    public void A_reference_to_the_root_works() =>
        Json.AssertOutcome("""{"type":"object","properties":{"next":{"$ref":"#"}}}""", """{"next":{"next":[]}}""", "$.next.next");

    [Fact]
    public void Recursive_schemas_descend_as_deep_as_the_instance()
    {
        const string tree = """
            {
              "$ref": "#/definitions/node",
              "definitions": {
                "node": {
                  "type": "object",
                  "additionalProperties": false,
                  "properties": {
                    "value": {"type": "integer"},
                    "children": {"type": "array", "items": {"$ref": "#/definitions/node"}}
                  }
                }
              }
            }
            """;
        Json.AssertOutcome(tree, """{"value":1,"children":[{"value":2,"children":[{"value":3},{"value":4}]}]}""", null);
        Json.AssertOutcome(tree, """{"value":1,"children":[{"value":2,"children":[{"value":3},{"value":"4"}]}]}""", "$.children[0].children[1].value");
    }

    [Fact]
    public void A_cycle_of_references_that_goes_nowhere_ends()
    {
        const string cycle = """{"$ref":"#/definitions/a","definitions":{"a":{"$ref":"#/definitions/b"},"b":{"$ref":"#/definitions/a"}}}""";
        Json.AssertOutcome(cycle, "1", null);
        Json.AssertOutcome("""{"$ref":"#/definitions/a","definitions":{"a":{"type":"string","allOf":[{"$ref":"#/definitions/a"}]}}}""", "1", "$");
    }

    [Theory]
    [InlineData("#/definitions/a~1b", "\"x\"")]
    [InlineData("#/definitions/c~0d", "1")]
    [InlineData("#/definitions/with%20space", "true")]
    [InlineData("#/definitions/list/1", "null")]
    public void Pointers_are_unescaped(string reference, string valid)
    {
        var schema = $$"""
            {"definitions":{"a/b":{"type":"string"},"c~d":{"type":"integer"},"with space":{"type":"boolean"},"list":[{},{"type":"null"}]},
             "$ref":"{{reference}}"}
            """;
        Json.AssertOutcome(schema, valid, null);
        Json.AssertOutcome(schema, "[]", "$");
    }

    // OpenAPI 3.1 and JSON Schema 2019-09 on apply a $ref's siblings too; draft 4 ignores them.
    [Fact]
    public void Keywords_beside_a_reference_apply_as_well() =>
        Json.AssertOutcome("""{"definitions":{"s":{"type":"string"}},"$ref":"#/definitions/s","maxLength":1}""", "\"ab\"", "$");

    [Fact]
    public void A_reference_to_nothing_is_a_mistake_in_the_schema() =>
        Assert.Throws<KeyNotFoundException>(() => Json.Errors("""{"$ref":"#/definitions/missing"}""", "1"));

    [Fact]
    public void References_to_other_documents_are_not_supported() =>
        Assert.Throws<NotSupportedException>(() => Json.Errors("""{"$ref":"other.json#/definitions/a"}""", "1"));

    [Fact]
    public void Validation_can_start_at_any_schema_in_the_document()
    {
        var validator = new JsonSchemaValidator(Json.Parse("""{"definitions":{"port":{"type":"integer","maximum":65535}}}"""));
        Assert.Empty(validator.Validate("#/definitions/port", Json.Parse("80")));
        Assert.Equal("$", Assert.Single(validator.Validate("#/definitions/port", Json.Parse("65536"))).Path);
    }
}
