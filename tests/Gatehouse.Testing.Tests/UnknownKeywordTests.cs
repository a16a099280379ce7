using Gatehouse.Testing.OpenApi;

namespace Gatehouse.Testing.Tests;

public sealed class UnknownKeywordTests
{
    [Fact]
    public void Keywords_not_checked_are_ignored_and_listed_but_annotations_and_extensions_are_not()
    {
        var validator = new JsonSchemaValidator(Json.Parse("""
            {
              "title": "T", "description": "d", "example": 1, "examples": [1], "default": 1, "deprecated": true,
              "readOnly": true, "writeOnly": true, "discriminator": {"propertyName": "type"}, "$schema": "x", "x-speakeasy": 1,
              "propertyNames": {"maxLength": 1}, "contains": false,
              "properties": {"a": {"dependentRequired": {}}}
            }
            """));
        Assert.Empty(validator.Validate(Json.Parse("""{"a":1}""")));
        Assert.Equal(["contains", "dependentRequired", "propertyNames"], validator.UnknownKeywords);
    }

    [Fact]
    public void Only_the_schemas_met_while_validating_are_looked_at()
    {
        var validator = new JsonSchemaValidator(Json.Parse("""{"properties":{"a":{"contains":{}}}}"""));
        validator.Validate(Json.Parse("{}"));
        Assert.Empty(validator.UnknownKeywords);
    }

    [Fact]
    public void The_tuple_form_of_items_is_listed_rather_than_misread()
    {
        var validator = new JsonSchemaValidator(Json.Parse("""{"items":[{"type":"string"}]}"""));
        Assert.Empty(validator.Validate(Json.Parse("[1]")));
        Assert.Equal(["items (array form)"], validator.UnknownKeywords);
    }
}
