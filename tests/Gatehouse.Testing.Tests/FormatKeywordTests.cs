using Gatehouse.Testing.OpenApi;

namespace Gatehouse.Testing.Tests;

/// <summary>format: uuid, date-time, uri/url, int32/int64 are checked; others are listed as unknown.</summary>
public sealed class FormatKeywordTests
{
    [Theory]
    [InlineData("uuid", "\"7f9fd312-a987-4628-b4c5-bb4f4fddd5f7\"", null)]
    [InlineData("uuid", "\"7F9FD312-A987-4628-B4C5-BB4F4FDDD5F7\"", null)]
    [InlineData("uuid", "\"7f9fd312a9874628b4c5bb4f4fddd5f7\"", "$")]
    [InlineData("uuid", "\"{7f9fd312-a987-4628-b4c5-bb4f4fddd5f7}\"", "$")]
    [InlineData("uuid", "\"7f9fd312-a987-4628-b4c5-bb4f4fddd5f7\\n\"", "$")]
    [InlineData("uuid", "\"Test Control Plane\"", "$")]
    [InlineData("date-time", "\"2022-11-04T20:10:06.927Z\"", null)]
    [InlineData("date-time", "\"2022-11-04T20:10:06Z\"", null)]
    [InlineData("date-time", "\"2022-11-04t20:10:06.123456789+05:30\"", null)]
    [InlineData("date-time", "\"2016-12-31T23:59:60Z\"", null)] // a leap second
    [InlineData("date-time", "\"2024-02-29T00:00:00Z\"", null)]
    [InlineData("date-time", "\"2023-02-29T00:00:00Z\"", "$")]
    [InlineData("date-time", "\"2022-11-04 20:10:06Z\"", "$")]
    [InlineData("date-time", "\"2022-11-04T20:10:06\"", "$")] // no offset
    [InlineData("date-time", "\"2022-11-04\"", "$")]
    [InlineData("date-time", "\"11/04/2022 20:10:06\"", "$")]
    [InlineData("date-time", "\"2022-13-04T20:10:06Z\"", "$")]
    [InlineData("date-time", "\"2022-11-04T24:10:06Z\"", "$")]
    [InlineData("date-time", "\"2022-11-04T20:10:06+25:00\"", "$")]
    [InlineData("date-time", "1667592606", null)] // formats of strings leave numbers alone
    [InlineData("url", "\"https://acfe5f253f.cp.konghq.com\"", null)]
    [InlineData("uri", "\"urn:isbn:0451450523\"", null)]
    [InlineData("url", "\"acfe5f253f.cp.konghq.com\"", "$")]
    [InlineData("url", "\"/relative/path\"", "$")]
    [InlineData("url", "\"not a url\"", "$")]
    [InlineData("int32", "2147483647", null)]
    [InlineData("int32", "5.0", null)]
    [InlineData("int32", "2147483648", "$")]
    [InlineData("int32", "-2147483649", "$")]
    [InlineData("int64", "9223372036854775808", "$")]
    public void Formats_are_checked(string format, string instance, string? errorPath) =>
        Json.AssertOutcome($$"""{"format":"{{format}}"}""", instance, errorPath);

    [Fact]
    public void Unknown_formats_pass_and_are_listed()
    {
        var validator = new JsonSchemaValidator(Json.Parse("""{"properties":{"a":{"format":"path"},"b":{"format":"set"},"c":{"format":"uuid"}}}"""));
        Assert.Empty(validator.Validate(Json.Parse("""{"a":"x","b":[1],"c":"7f9fd312-a987-4628-b4c5-bb4f4fddd5f7"}""")));
        Assert.Equal(["path", "set"], validator.UnknownFormats);
    }
}
