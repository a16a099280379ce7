using System.Text.Json.Nodes;
using Gatehouse.Functions.Composition;

namespace Gatehouse.Functions.Tests;

/// <summary>The YAML export reads back as the JSON it was made from, whatever its strings look like.</summary>
public sealed class YamlTextTests
{
    [Fact]
    public void Strings_that_look_like_other_types_are_quoted_and_read_back_as_strings()
    {
        var json = JsonNode.Parse("""
            {"_format_version":"3.0","tags":["1","1.5","true","null","on","off","yes","no","~","0x1F","-"],
             "port":8080,"ratio":0.25,"enabled":false,"missing":null,"text":"plain words"}
            """)!;
        var yaml = YamlText.From(json);
        Assert.Contains("_format_version: \"3.0\"", yaml, StringComparison.Ordinal);
        Assert.Contains("port: 8080", yaml, StringComparison.Ordinal);
        Assert.Equal(json.ToJsonString(), YamlDocument.Parse(yaml)!.ToJsonString());
    }
}
