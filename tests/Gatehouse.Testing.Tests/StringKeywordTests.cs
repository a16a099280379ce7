namespace Gatehouse.Testing.Tests;

/// <summary>minLength, maxLength and pattern (ECMAScript regular expressions, searched for).</summary>
public sealed class StringKeywordTests
{
    [Theory]
    [InlineData("""{"minLength":2}""", "\"ab\"", null)]
    [InlineData("""{"minLength":2}""", "\"a\"", "$")]
    [InlineData("""{"minLength":2}""", "\"😀\"", "$")] // one code point, two UTF-16 units
    [InlineData("""{"maxLength":1}""", "\"😀\"", null)]
    [InlineData("""{"maxLength":1}""", "\"é\"", null)]
    [InlineData("""{"maxLength":1}""", "\"ab\"", "$")]
    [InlineData("""{"maxLength":1}""", "12", null)]
    [InlineData("""{"pattern":"^[a-z]+$"}""", "\"abc\"", null)]
    [InlineData("""{"pattern":"^[a-z]+$"}""", "\"aBc\"", "$")]
    [InlineData("""{"pattern":"^[a-z]+$"}""", "\"abc\\n\"", "$")] // ECMAScript's $ is the very end
    [InlineData("""{"pattern":"^[$a]+$"}""", "\"a$\"", null)]
    [InlineData("""{"pattern":"^a\\$$"}""", "\"a$\"", null)]
    [InlineData("""{"pattern":"b"}""", "\"abc\"", null)] // not anchored
    [InlineData("""{"pattern":"^\\d+$"}""", "\"123\"", null)]
    [InlineData("""{"pattern":"^\\d+$"}""", "\"١٢٣\"", "$")] // ECMAScript's \d is ASCII only
    [InlineData("""{"pattern":"^\\w+$"}""", "\"é\"", "$")]
    [InlineData("""{"pattern":"^\\p{L}+$"}""", "\"é\"", null)]
    [InlineData("""{"pattern":"^[a-z]+$"}""", "5", null)]
    public void Strings_are_checked(string schema, string instance, string? errorPath) =>
        Json.AssertOutcome(schema, instance, errorPath);

    // The Konnect Labels pattern escapes `_`, which only ECMAScript allows; its config twin writes
    // `-` after a range, which both allow.
    [Theory]
    [InlineData(@"^[a-z0-9A-Z]{1}([a-z0-9A-Z\-\.\_]*[a-z0-9A-Z]+)?$")]
    [InlineData(@"^[a-z0-9A-Z]{1}([a-z0-9A-Z-._]*[a-z0-9A-Z]+)?$")]
    public void The_label_patterns_of_the_specs_work(string pattern)
    {
        var schema = $$"""{"pattern":{{System.Text.Json.JsonSerializer.Serialize(pattern)}}}""";
        foreach (var good in new[] { "a", "env", "my-label.v_2", "A1" })
        {
            Json.AssertOutcome(schema, $"\"{good}\"", null);
        }
        foreach (var bad in new[] { "", "-a", "a-", "a b", "a_", "a/b", "é" })
        {
            Json.AssertOutcome(schema, $"\"{bad}\"", "$");
        }
    }
}
