namespace Gatehouse.Testing.Tests;

/// <summary>type (with nullable), enum and const.</summary>
public sealed class ValueKeywordTests
{
    [Theory]
    [InlineData("""{"type":"string"}""", "\"x\"", null)]
    [InlineData("""{"type":"string"}""", "1", "$")]
    [InlineData("""{"type":"integer"}""", "1", null)]
    [InlineData("""{"type":"integer"}""", "1.0", null)]
    [InlineData("""{"type":"integer"}""", "-2e2", null)]
    [InlineData("""{"type":"integer"}""", "1.5", "$")]
    [InlineData("""{"type":"integer"}""", "\"1\"", "$")]
    [InlineData("""{"type":"number"}""", "1.5", null)]
    [InlineData("""{"type":"number"}""", "1", null)]
    [InlineData("""{"type":"number"}""", "true", "$")]
    [InlineData("""{"type":"boolean"}""", "false", null)]
    [InlineData("""{"type":"boolean"}""", "0", "$")]
    [InlineData("""{"type":"null"}""", "null", null)]
    [InlineData("""{"type":"null"}""", "0", "$")]
    [InlineData("""{"type":"array"}""", "[]", null)]
    [InlineData("""{"type":"array"}""", "{}", "$")]
    [InlineData("""{"type":"object"}""", "{}", null)]
    [InlineData("""{"type":"object"}""", "[]", "$")]
    [InlineData("""{"type":"object"}""", "null", "$")]
    [InlineData("""{"type":["string","null"]}""", "null", null)]
    [InlineData("""{"type":["string","null"]}""", "\"a\"", null)]
    [InlineData("""{"type":["string","null"]}""", "1", "$")]
    [InlineData("""{"type":"string","nullable":true}""", "null", null)]
    [InlineData("""{"type":"string","nullable":true}""", "1", "$")]
    [InlineData("""{"type":"string","nullable":false}""", "null", "$")]
    [InlineData("""{"type":"string","enum":["a"],"nullable":true}""", "null", null)]
    [InlineData("""{"type":"string","enum":["a"],"nullable":true}""", "\"b\"", "$")]
    [InlineData("""{"enum":["a",1,{"b":[1]}]}""", "\"a\"", null)]
    [InlineData("""{"enum":["a",1,{"b":[1]}]}""", "1.0", null)]
    [InlineData("""{"enum":["a",1,{"b":[1]}]}""", "{\"b\":[1]}", null)]
    [InlineData("""{"enum":["a",1,{"b":[1]}]}""", "{\"b\":[2]}", "$")]
    [InlineData("""{"enum":["a",1,{"b":[1]}]}""", "\"A\"", "$")]
    [InlineData("""{"enum":["a"]}""", "null", "$")]
    [InlineData("""{"const":{"a":1,"b":[true]}}""", "{\"b\":[true],\"a\":1}", null)]
    [InlineData("""{"const":{"a":1,"b":[true]}}""", "{\"a\":1}", "$")]
    [InlineData("""{"const":null}""", "null", null)]
    [InlineData("""{"const":null}""", "false", "$")]
    public void Values_are_checked(string schema, string instance, string? errorPath) =>
        Json.AssertOutcome(schema, instance, errorPath);

    [Fact]
    public void A_type_error_says_what_was_expected_and_what_came()
    {
        var error = Assert.Single(Json.Errors("""{"properties":{"port":{"type":"integer"}}}""", """{"port":"80"}"""));
        Assert.Equal("$.port", error.Path);
        Assert.Equal("expected integer, got the string \"80\"", error.Reason);
        Assert.Equal("#/properties/port/type", error.SchemaPath);
    }

    [Fact]
    public void An_enum_error_lists_the_allowed_values()
    {
        var error = Assert.Single(Json.Errors("""{"enum":["pinned_client_certs","pki_client_certs"]}""", "\"basic\""));
        Assert.Equal("\"basic\" is not one of [\"pinned_client_certs\",\"pki_client_certs\"]", error.Reason);
    }

    [Fact]
    public void Values_in_messages_are_written_readably() =>
        Assert.Equal(
            "\"é+<x>&'\" is not one of [\"application/problem+json\"]",
            Assert.Single(Json.Errors("""{"enum":["application/problem+json"]}""", "\"é+<x>&'\"")).Reason);

    [Fact]
    public void A_schema_naming_an_unknown_type_is_a_mistake_in_the_schema() =>
        Assert.Throws<InvalidOperationException>(() => Json.Errors("""{"type":"text"}""", "\"x\""));

    [Fact]
    public void True_allows_anything_and_false_nothing()
    {
        Json.AssertOutcome("true", """{"any":[1]}""", null);
        Json.AssertOutcome("false", "null", "$");
        Json.AssertOutcome("""{"properties":{"a":false}}""", """{"a":1}""", "$.a");
    }
}
