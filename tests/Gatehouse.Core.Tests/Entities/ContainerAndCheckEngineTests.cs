using System.Text.Json.Nodes;
using Gatehouse.Core.Entities;
using static Gatehouse.Core.Tests.Entities.EntityAssert;

namespace Gatehouse.Core.Tests.Entities;

/// <summary>
/// Engine rules the logging and tracing plugins need: map errors on the map (si:930-946),
/// container validators after their contents (si:909-946), between's %d message (si:79),
/// "field required for entity check" (si:1294-1342) and deprecated shorthands (si:1820-1838).
/// </summary>
public sealed class ContainerAndCheckEngineTests
{
    private static readonly EntitySchema s_schema = new("things",
    [
        Typedefs.Id,
        new Field("labels", FieldType.Map)
        {
            Keys = Typedefs.HeaderName("key").With(Validators.LuaMatchNone("^[Hh]ost$", "cannot contain 'Host' header")),
            Elements = new Field("value", FieldType.String),
        },
        new Field("names", FieldType.Array) { Elements = new Field("name", FieldType.String) }.With(NoRepeats),
        new Field("ratio", FieldType.Number).With(Validators.Between(0.001, 1000000)),
        new Field("items", FieldType.Array)
        {
            Elements = new Field("item", FieldType.Record)
            {
                Fields = [new Field("kind", FieldType.String) { Required = true }, new Field("rate", FieldType.Number)],
                RecordChecks = [EntityChecks.Requiring(["kind"], ["rate"],
                    EntityChecks.Conditional("kind", EntityChecks.Is("counter"), "rate", EntityChecks.Required))],
            },
        },
        new Field("target", FieldType.Record)
        {
            Fields = [new Field("url", FieldType.String)],
            Shorthands =
            [
                new ShorthandField(new Field("old_url", FieldType.String), value => new JsonObject { ["url"] = value.DeepClone() }) { IsDeprecated = true },
                new ShorthandField(new Field("new_url", FieldType.String), value => new JsonObject { ["url"] = value.DeepClone() }),
            ],
        },
    ])
    {
        Singular = "thing",
    };

    private static string? NoRepeats(JsonNode value) =>
        value.AsArray().GroupBy(n => n!.ToJsonString()).Any(g => g.Count() > 1) ? "no repeats" : null;

    [Theory]
    [InlineData("""{"labels":{"ok":"1","Host":"x"}}""", "cannot contain 'Host' header")]
    [InlineData("""{"labels":{"bad key":"1"}}""", "bad header name 'bad key', allowed characters are A-Z, a-z, 0-9, '_', and '-'")]
    [InlineData("""{"labels":{"ok":""}}""", "length must be at least 1")]
    [InlineData("""{"labels":{"ok":1}}""", "expected a string")]
    public void A_bad_map_entry_is_the_maps_error(string json, string message)
    {
        var errors = Invalid(s_schema, json);
        HasError(errors, "labels", message);
        Assert.Single(errors);
    }

    [Fact]
    public void Only_the_first_bad_map_entry_is_reported() =>
        Assert.Single(Invalid(s_schema, """{"labels":{"Host":"x","bad key":""}}"""));

    [Fact]
    public void An_arrays_own_validator_runs_only_when_its_elements_are_valid()
    {
        HasError(Invalid(s_schema, """{"names":["a","a"]}"""), "names", "no repeats");
        var errors = Invalid(s_schema, """{"names":["a","a",""]}""");
        HasError(errors, "names[2]", "length must be at least 1");
        Assert.DoesNotContain(errors, e => e.Path == "names");
    }

    [Theory]
    [InlineData(0.0005)]
    [InlineData(1000001)]
    public void Between_writes_its_limits_as_Luas_percent_d_does(double ratio) =>
        HasError(Invalid(s_schema, $$"""{"ratio":{{ratio}}}"""), "ratio", "value should be between 0 and 1000000");

    [Fact]
    public void A_check_whose_required_field_is_missing_names_that_field_instead_of_running()
    {
        var errors = Invalid(s_schema, """{"items":[{"rate":1}]}""");
        HasError(errors, "items[0].kind", "field required for entity check");
        // It takes the place of the field's own "required field missing", as Kong's set_field does.
        Assert.Single(errors);

        // Nothing of the check given: the field's own error only.
        errors = Invalid(s_schema, """{"items":[{}]}""");
        HasError(errors, "items[0].kind", "required field missing");
        Assert.Single(errors);

        // Everything given: the check runs.
        HasError(Invalid(s_schema, """{"items":[{"kind":"counter"}]}"""), "items[0].rate", "required field missing");
        HasError(Invalid(s_schema, """{"items":[{"kind":"counter"}]}"""), "items[0]", "failed conditional validation given value of field 'kind'");
        Valid(s_schema, """{"items":[{"kind":"counter","rate":1},{"kind":"timer"}]}""");
    }

    [Fact]
    public void A_deprecated_shorthand_loses_to_the_field_it_feeds_and_a_plain_one_wins()
    {
        Assert.Equal("a", Valid(s_schema, """{"target":{"old_url":"b","url":"a"}}""")["target"]!["url"]!.GetValue<string>());
        Assert.Equal("b", Valid(s_schema, """{"target":{"old_url":"b"}}""")["target"]!["url"]!.GetValue<string>());
        Assert.Equal("b", Valid(s_schema, """{"target":{"new_url":"b","url":"a"}}""")["target"]!["url"]!.GetValue<string>());
        Assert.True(new ShorthandField(new Field("x", FieldType.String), _ => []) { ReplacedWith = "y" }.IsDeprecated);
    }
}
