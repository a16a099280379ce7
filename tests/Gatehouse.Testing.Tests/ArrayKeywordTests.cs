namespace Gatehouse.Testing.Tests;

/// <summary>items, minItems, maxItems, uniqueItems.</summary>
public sealed class ArrayKeywordTests
{
    [Theory]
    [InlineData("""{"items":{"type":"integer"}}""", "[1,2]", null)]
    [InlineData("""{"items":{"type":"integer"}}""", "[1,\"2\"]", "$[1]")]
    [InlineData("""{"items":{"type":"integer"}}""", "[]", null)]
    [InlineData("""{"items":{"type":"integer"}}""", "{\"0\":\"x\"}", null)]
    [InlineData("""{"items":{"items":{"type":"string"}}}""", "[[\"a\"],[\"b\",3]]", "$[1][1]")]
    [InlineData("""{"minItems":1}""", "[1]", null)]
    [InlineData("""{"minItems":1}""", "[]", "$")]
    [InlineData("""{"maxItems":1}""", "[1]", null)]
    [InlineData("""{"maxItems":1}""", "[1,2]", "$")]
    [InlineData("""{"uniqueItems":true}""", "[1,2,\"1\"]", null)]
    [InlineData("""{"uniqueItems":true}""", "[1,2,1.0]", "$")]
    [InlineData("""{"uniqueItems":true}""", """[{"a":1,"b":2},{"b":2,"a":1}]""", "$")]
    [InlineData("""{"uniqueItems":true}""", """[{"a":1},{"a":2}]""", null)]
    [InlineData("""{"uniqueItems":false}""", "[1,1]", null)]
    public void Arrays_are_checked(string schema, string instance, string? errorPath) =>
        Json.AssertOutcome(schema, instance, errorPath);

    [Fact]
    public void A_duplicate_is_named_by_its_indexes() =>
        Assert.Equal(
            "items [0] and [2] are equal, and uniqueItems is true",
            Assert.Single(Json.Errors("""{"uniqueItems":true}""", """["a","b","a"]""")).Reason);
}
