using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Testing.OpenApi;

namespace Gatehouse.Testing.Tests;

public sealed class YamlJsonTests
{
    [Theory]
    [InlineData("true", "true")]
    [InlineData("False", "false")]
    [InlineData("TRUE", "true")]
    [InlineData("'true'", "\"true\"")]
    [InlineData("\"false\"", "\"false\"")]
    [InlineData("yes", "\"yes\"")] // YAML 1.1's boolean, a string in 1.2
    [InlineData("off", "\"off\"")]
    [InlineData("null", "null")]
    [InlineData("~", "null")]
    [InlineData("NULL", "null")]
    [InlineData("'null'", "\"null\"")]
    [InlineData("12", "12")]
    [InlineData("-12", "-12")]
    [InlineData("+12", "12")]
    [InlineData("007", "7")]
    [InlineData("'12'", "\"12\"")]
    [InlineData("\"404\"", "\"404\"")]
    [InlineData("1.5", "1.5")]
    [InlineData("1.50", "1.50")]
    [InlineData("1.", "1")]
    [InlineData(".5", "0.5")]
    [InlineData("-.5e3", "-0.5e3")]
    [InlineData("1e3", "1e3")]
    [InlineData("2147483646", "2147483646")]
    [InlineData("123456789012345678901234567890", "123456789012345678901234567890")]
    [InlineData("0x1F", "31")]
    [InlineData("0o17", "15")]
    [InlineData("2022-11-04", "\"2022-11-04\"")] // a YAML 1.1 timestamp, a string in 1.2
    [InlineData("'2022-11-04T20:10:06.927Z'", "\"2022-11-04T20:10:06.927Z\"")]
    [InlineData("7f9fd312-a987-4628-b4c5-bb4f4fddd5f7", "\"7f9fd312-a987-4628-b4c5-bb4f4fddd5f7\"")]
    [InlineData("1e3e", "\"1e3e\"")]
    [InlineData("12 apples", "\"12 apples\"")]
    [InlineData("!!str 12", "\"12\"")]
    [InlineData("!!str true", "\"true\"")]
    [InlineData("!!int '12'", "12")]
    [InlineData("!!float 1", "1")]
    [InlineData("!!bool 'false'", "false")]
    [InlineData("! 12", "\"12\"")]
    [InlineData("^[a-z0-9A-Z]{1}$", "\"^[a-z0-9A-Z]{1}$\"")]
    public void A_scalar_becomes_the_JSON_value_the_YAML_1_2_core_schema_says(string yaml, string json) =>
        Assert.Equal(json, Convert("value: " + yaml)["value"]?.ToJsonString() ?? "null");

    [Fact]
    public void Block_scalars_stay_strings()
    {
        var value = Convert("literal: |\n  12\n  true\nfolded: >\n  null\n  ~\n");
        Assert.Equal("12\ntrue\n", value["literal"]!.GetValue<string>());
        Assert.Equal("null ~\n", value["folded"]!.GetValue<string>());
    }

    [Fact]
    public void An_empty_value_is_null() => Assert.Null(Convert("value:\nother: 1")["value"]);

    [Fact]
    public void Keys_are_strings_whatever_they_look_like()
    {
        var responses = Convert("'200': a\n404: b\ntrue: c\n~: d");
        Assert.Equal(["200", "404", "true", "~"], responses.Select(member => member.Key));
    }

    [Fact]
    public void Sequences_and_mappings_nest_and_keep_their_order()
    {
        var value = Convert("list: [1, '1', true, null, {a: [b]}]\nmap:\n  z: 1\n  a: 2");
        Assert.Equal("""[1,"1",true,null,{"a":["b"]}]""", value["list"]!.ToJsonString());
        Assert.Equal("""{"z":1,"a":2}""", value["map"]!.ToJsonString());
    }

    [Fact]
    public void An_alias_is_a_copy_of_its_anchor()
    {
        var value = Convert("a: &shared {b: 1}\nc: *shared");
        Assert.Equal("""{"a":{"b":1},"c":{"b":1}}""", value.ToJsonString());
    }

    [Fact]
    public void The_result_reads_as_a_json_element_of_the_right_kinds()
    {
        var element = JsonSerializer.SerializeToElement(YamlJson.Parse("minItems: 1\nuniqueItems: true\nnullable: false\nexample: '1'\nx: ~"));
        Assert.Equal(JsonValueKind.Number, element.GetProperty("minItems").ValueKind);
        Assert.Equal(JsonValueKind.True, element.GetProperty("uniqueItems").ValueKind);
        Assert.Equal(JsonValueKind.False, element.GetProperty("nullable").ValueKind);
        Assert.Equal(JsonValueKind.String, element.GetProperty("example").ValueKind);
        Assert.Equal(JsonValueKind.Null, element.GetProperty("x").ValueKind);
    }

    [Fact]
    public void A_document_that_is_only_null_is_null() => Assert.Null(YamlJson.Parse("~"));

    [Theory]
    [InlineData("value: .inf")] // no JSON number for it
    [InlineData("value: -.Inf")]
    [InlineData("value: .nan")]
    [InlineData("value: !!int twelve")]
    [InlineData("value: !!bool 1")]
    [InlineData("a: 1\n---\nb: 2")] // two documents
    [InlineData("")] // none
    [InlineData("a: &loop\n  b: *loop")] // a value that contains itself
    public void What_JSON_cannot_hold_is_refused(string yaml) =>
        Assert.Throws<FormatException>(() => YamlJson.Parse(yaml));

    [Theory]
    [InlineData("value: !custom x")]
    [InlineData("value: !!set {a, b}")]
    [InlineData("? [a, b]\n: c")] // a key that is not a scalar
    public void What_JSON_has_no_form_for_is_not_supported(string yaml) =>
        Assert.Throws<NotSupportedException>(() => YamlJson.Parse(yaml));

    [Fact]
    public void Duplicate_keys_are_refused() =>
        Assert.Throws<YamlDotNet.Core.YamlException>(() => YamlJson.Parse("a: 1\na: 2"));

    private static JsonObject Convert(string yaml) => YamlJson.Parse(yaml)!.AsObject();
}
