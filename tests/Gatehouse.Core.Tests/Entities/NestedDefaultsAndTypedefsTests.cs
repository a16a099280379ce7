using Gatehouse.Core.Entities;
using static Gatehouse.Core.Tests.Entities.EntityAssert;

namespace Gatehouse.Core.Tests.Entities;

/// <summary>
/// Engine rules the AI plugins needed: defaults inside the records of an array (si:1663-1682),
/// len_min/len_max counting a string's UTF-8 bytes (si:162-174), and typedefs.url (typedefs.lua:205-221).
/// </summary>
public sealed class NestedDefaultsAndTypedefsTests
{
    private static readonly Field s_message = new("message", FieldType.Record)
    {
        Fields =
        [
            new Field("role", FieldType.String) { Required = true, Default = "system" },
            new Field("content", FieldType.String) { Required = true },
        ],
    };

    private static readonly EntitySchema s_schema = new("things",
    [
        Typedefs.Id,
        new Field("messages", FieldType.Array) { Elements = s_message },
        new Field("wrapper", FieldType.Record) { Fields = [new Field("messages", FieldType.Array) { Elements = s_message }] },
        new Field("short", FieldType.String).With(Validators.LengthMax(3)),
        new Field("url", FieldType.String).With(Typedefs.Url),
    ])
    {
        Singular = "thing",
    };

    [Fact]
    public void The_records_of_an_array_get_their_defaults_on_insert_and_on_patch()
    {
        var thing = Valid(s_schema, """{"messages":[{"content":"a"},{"role":"user","content":"b"}],"wrapper":{"messages":[{"content":"c"}]}}""");
        Assert.Equal("""[{"role":"system","content":"a"},{"role":"user","content":"b"}]""", thing["messages"]!.ToJsonString());
        Assert.Equal("""[{"role":"system","content":"c"}]""", thing["wrapper"]!["messages"]!.ToJsonString());

        var patched = Valid(s_schema, """{"messages":[{"content":"d"}],"wrapper":{"messages":[{"content":"e"}]}}""", WriteMode.Update, thing);
        Assert.Equal("""[{"role":"system","content":"d"}]""", patched["messages"]!.ToJsonString());
        Assert.Equal("""[{"role":"system","content":"e"}]""", patched["wrapper"]!["messages"]!.ToJsonString());
    }

    [Fact]
    public void A_null_element_is_not_filled_but_refused()
    {
        HasError(Invalid(s_schema, """{"messages":[{"content":"a"},null]}"""), "messages[1]", "required field missing");
        HasError(Invalid(s_schema, """{"messages":[{"role":null,"content":"a"}]}"""), "messages[0].role", "required field missing");
    }

    [Fact]
    public void String_lengths_are_counted_in_utf8_bytes_as_Luas_length_operator_does()
    {
        Valid(s_schema, """{"short":"abc"}""");
        HasError(Invalid(s_schema, """{"short":"éé"}"""), "short", "length must be at most 3");
    }

    [Theory]
    [InlineData("http://example.com/v1/chat")]
    [InlineData("https://user:pw@[::1]:8443/p?q=1#f")]
    [InlineData("ollama://localhost:11434")]
    public void Urls_with_a_scheme_and_a_host_are_accepted(string url) => Valid(s_schema, $$"""{"url":"{{url}}"}""");

    [Theory]
    [InlineData("example.com", "missing host in url")]
    [InlineData("localhost:11434", "missing host in url")]
    [InlineData("http:example.com", "missing host in url")]
    [InlineData("http://:8080/x", "missing host in url")]
    [InlineData("//example.com/x", "missing scheme in url")]
    [InlineData("", "length must be at least 1")]
    public void Urls_without_a_host_or_scheme_are_refused_with_Kongs_message(string url, string message) =>
        HasError(Invalid(s_schema, $$"""{"url":"{{url}}"}"""), "url", message);
}
