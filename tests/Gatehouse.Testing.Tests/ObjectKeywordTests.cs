namespace Gatehouse.Testing.Tests;

/// <summary>properties, required, additionalProperties, patternProperties, min/maxProperties.</summary>
public sealed class ObjectKeywordTests
{
    [Theory]
    [InlineData("""{"properties":{"a":{"type":"string"}}}""", """{"a":"x"}""", null)]
    [InlineData("""{"properties":{"a":{"type":"string"}}}""", """{"a":1}""", "$.a")]
    [InlineData("""{"properties":{"a":{"type":"string"}}}""", """{"b":1}""", null)]
    [InlineData("""{"properties":{"a":{"type":"string"}}}""", "\"not an object\"", null)]
    [InlineData("""{"properties":{"a b":{"type":"string"}}}""", """{"a b":1}""", "$['a b']")]
    [InlineData("""{"properties":{"it's":{"type":"string"}}}""", """{"it's":1}""", @"$['it\'s']")]
    [InlineData("""{"properties":{"data":{"items":{"properties":{"config":{"properties":{"cluster_type":{"enum":["X"]}}}}}}}}""",
        """{"data":[{"config":{"cluster_type":"X"}},{"config":{"cluster_type":"Y"}}]}""", "$.data[1].config.cluster_type")]
    [InlineData("""{"required":["name"]}""", "{}", "$.name")]
    [InlineData("""{"required":["name"]}""", """{"name":null}""", null)]
    [InlineData("""{"required":["name"]}""", "[]", null)]
    [InlineData("""{"properties":{"a":{}},"additionalProperties":false}""", """{"a":1}""", null)]
    [InlineData("""{"properties":{"a":{}},"additionalProperties":false}""", """{"a":1,"b":2}""", "$.b")]
    [InlineData("""{"additionalProperties":false}""", "{}", null)]
    [InlineData("""{"additionalProperties":true}""", """{"b":2}""", null)]
    [InlineData("""{"properties":{"a":{}},"additionalProperties":{"type":"string"}}""", """{"a":1,"b":"x"}""", null)]
    [InlineData("""{"properties":{"a":{}},"additionalProperties":{"type":"string"}}""", """{"a":1,"b":2}""", "$.b")]
    [InlineData("""{"patternProperties":{"^x-":{"type":"string"}}}""", """{"x-a":"s","y":1}""", null)]
    [InlineData("""{"patternProperties":{"^x-":{"type":"string"}}}""", """{"x-a":1}""", "$['x-a']")]
    [InlineData("""{"patternProperties":{"^x-":{}},"additionalProperties":false}""", """{"x-a":1}""", null)]
    [InlineData("""{"patternProperties":{"^x-":{}},"additionalProperties":false}""", """{"y":1}""", "$.y")]
    [InlineData("""{"patternProperties":{".*":{"type":"array"}}}""", """{"a":[],"b":{}}""", "$.b")]
    [InlineData("""{"minProperties":1}""", """{"a":1}""", null)]
    [InlineData("""{"minProperties":1}""", "{}", "$")]
    [InlineData("""{"maxProperties":1}""", """{"a":1}""", null)]
    [InlineData("""{"maxProperties":1}""", """{"a":1,"b":2}""", "$")]
    public void Objects_are_checked(string schema, string instance, string? errorPath) =>
        Json.AssertOutcome(schema, instance, errorPath);

    [Fact]
    public void Every_missing_and_every_extra_property_is_named()
    {
        var errors = Json.Errors(
            """{"required":["id","name"],"properties":{"id":{},"name":{}},"additionalProperties":false}""",
            """{"extra":1,"other":2}""");
        Assert.Equal(["$.id", "$.name", "$.extra", "$.other"], Json.Paths(errors));
        Assert.Equal("is required but missing", errors[0].Reason);
        Assert.Equal("is not a property the schema declares, and additionalProperties is false", errors[2].Reason);
    }

    [Fact]
    public void A_property_matching_several_patterns_meets_them_all() =>
        Assert.Equal(
            ["$.ab", "$.ab"],
            Json.Paths(Json.Errors("""{"patternProperties":{"^a":{"type":"integer"},"b$":{"type":"boolean"}}}""", """{"ab":"x"}""")));
}
