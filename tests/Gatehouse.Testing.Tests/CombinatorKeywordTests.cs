namespace Gatehouse.Testing.Tests;

/// <summary>allOf, anyOf, oneOf, not, if/then/else.</summary>
public sealed class CombinatorKeywordTests
{
    [Theory]
    [InlineData("""{"allOf":[{"type":"integer"},{"minimum":1}]}""", "2", null)]
    [InlineData("""{"allOf":[{"type":"integer"},{"minimum":1}]}""", "0", "$")]
    [InlineData("""{"anyOf":[{"type":"string"},{"type":"integer"}]}""", "1", null)]
    [InlineData("""{"anyOf":[{"type":"string"},{"type":"integer"}]}""", "\"a\"", null)]
    [InlineData("""{"anyOf":[{"type":"string"},{"type":"integer"}]}""", "true", "$")]
    [InlineData("""{"anyOf":[{"required":["name"]},{"required":["id"]}]}""", """{"id":"x"}""", null)]
    [InlineData("""{"anyOf":[{"required":["name"]},{"required":["id"]}]}""", "{}", "$")]
    [InlineData("""{"oneOf":[{"type":"integer"},{"type":"number"}]}""", "1.5", null)]
    [InlineData("""{"oneOf":[{"type":"integer"},{"type":"number"}]}""", "1", "$")] // both match
    [InlineData("""{"oneOf":[{"type":"integer"},{"type":"number"}]}""", "\"x\"", "$")]
    [InlineData("""{"not":{"type":"string"}}""", "1", null)]
    [InlineData("""{"not":{"type":"string"}}""", "\"x\"", "$")]
    [InlineData("""{"if":{"properties":{"host":{"const":"function"}}},"then":{"required":["project"]}}""", """{"host":"function","project":"p"}""", null)]
    [InlineData("""{"if":{"properties":{"host":{"const":"function"}}},"then":{"required":["project"]}}""", """{"host":"function"}""", "$.project")]
    [InlineData("""{"if":{"properties":{"host":{"const":"function"}}},"then":{"required":["project"]}}""", """{"host":"aks"}""", null)]
    [InlineData("""{"if":{"properties":{"host":{"const":"function"}}},"else":{"required":["image"]}}""", """{"host":"aks"}""", "$.image")]
    [InlineData("""{"if":{"properties":{"host":{"const":"function"}}},"else":{"required":["image"]}}""", """{"host":"function"}""", null)]
    [InlineData("""{"then":false,"else":false}""", "1", null)] // without an if they mean nothing
    public void Combinations_are_checked(string schema, string instance, string? errorPath) =>
        Json.AssertOutcome(schema, instance, errorPath);

    [Fact]
    public void AllOf_reports_the_errors_of_every_branch() =>
        Assert.Equal(["$.a", "$.b"], Json.Paths(Json.Errors("""{"allOf":[{"required":["a"]},{"required":["b"]}]}""", "{}")));

    [Fact]
    public void AnyOf_says_why_each_branch_failed()
    {
        var error = Assert.Single(Json.Errors("""{"anyOf":[{"required":["name"]},{"required":["id"]}]}""", "{}"));
        Assert.Equal("matches none of the 2 anyOf schemas: [0] $.name is required but missing; [1] $.id is required but missing", error.Reason);
        Assert.Equal("#/anyOf", error.SchemaPath);
    }

    [Fact]
    public void OneOf_says_which_branches_matched_when_several_did() =>
        Assert.Equal(
            "matches 2 of the oneOf schemas ([0], [1]), where exactly one must match",
            Assert.Single(Json.Errors("""{"oneOf":[{"type":"integer"},{"type":"number"}]}""", "1")).Reason);

    [Fact]
    public void Errors_inside_a_failed_branch_do_not_leak_out_when_another_branch_matches() =>
        Assert.Empty(Json.Errors("""{"properties":{"a":{"anyOf":[{"type":"string","minLength":5},{"type":"string"}]}}}""", """{"a":"x"}"""));
}
