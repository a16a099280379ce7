namespace Gatehouse.Testing.Tests;

/// <summary>minimum, maximum, both forms of exclusiveMinimum/exclusiveMaximum, multipleOf.</summary>
public sealed class NumberKeywordTests
{
    [Theory]
    [InlineData("""{"minimum":1}""", "1", null)]
    [InlineData("""{"minimum":1}""", "0.999", "$")]
    [InlineData("""{"minimum":1}""", "\"0\"", null)]
    [InlineData("""{"maximum":65535}""", "65535", null)]
    [InlineData("""{"maximum":65535}""", "65535.5", "$")]
    [InlineData("""{"maximum":2147483646}""", "2147483647", "$")]
    [InlineData("""{"maximum":1e300}""", "1e301", "$")]
    // Draft 4 and OpenAPI 3.0: a boolean beside minimum/maximum.
    [InlineData("""{"minimum":1,"exclusiveMinimum":true}""", "1", "$")]
    [InlineData("""{"minimum":1,"exclusiveMinimum":true}""", "1.1", null)]
    [InlineData("""{"minimum":1,"exclusiveMinimum":false}""", "1", null)]
    [InlineData("""{"maximum":10,"exclusiveMaximum":true}""", "10", "$")]
    [InlineData("""{"maximum":10,"exclusiveMaximum":true}""", "9.9", null)]
    // Draft 6 and later, and OpenAPI 3.1: a number of its own.
    [InlineData("""{"exclusiveMinimum":0}""", "0", "$")]
    [InlineData("""{"exclusiveMinimum":0}""", "0.1", null)]
    [InlineData("""{"exclusiveMaximum":1}""", "1", "$")]
    [InlineData("""{"exclusiveMaximum":1}""", "0.5", null)]
    [InlineData("""{"multipleOf":2}""", "4", null)]
    [InlineData("""{"multipleOf":2}""", "5", "$")]
    [InlineData("""{"multipleOf":0.1}""", "0.3", null)] // exact in decimal, not in double
    [InlineData("""{"multipleOf":0.1}""", "0.35", "$")]
    [InlineData("""{"multipleOf":0.5}""", "1e40", null)]
    public void Numbers_are_checked(string schema, string instance, string? errorPath) =>
        Json.AssertOutcome(schema, instance, errorPath);

    [Fact]
    public void A_bound_error_names_the_bound() =>
        Assert.Equal(
            "0 is less than the minimum 1",
            Assert.Single(Json.Errors("""{"minimum":1}""", "0")).Reason);
}
