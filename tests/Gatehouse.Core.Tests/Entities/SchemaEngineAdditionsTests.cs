using System.Text.Json.Nodes;
using Gatehouse.Core.Entities;
using static Gatehouse.Core.Tests.Entities.EntityAssert;

namespace Gatehouse.Core.Tests.Entities;

/// <summary>
/// Engine rules added for the second set of plugin schemas, each on a schema of its own:
/// generated defaults (si:1885-1895), shorthands fed a null (si:1804-1819), a conditional's
/// then_err (si:759-764), eq and required then-matches (si:745-749, 881-883), checks skipped for
/// vault references (si:1311-1315) and typedefs.url (typedefs.lua:205-221).
/// </summary>
public sealed class SchemaEngineAdditionsTests
{
    private static int s_generated;

    private static EntitySchema Schema(params Field[] fields) => new("things", [Typedefs.Id, .. fields]) { Singular = "thing" };

    [Fact]
    public void A_generated_default_is_made_fresh_for_each_insert_and_kept_when_given_or_on_patch()
    {
        var schema = Schema(new Field("settings", FieldType.Record)
        {
            Fields = [new Field("key", FieldType.String) { Required = true, Generate = () => $"key-{Interlocked.Increment(ref s_generated)}" }],
        });
        var first = Valid(schema, "{}")["settings"]!["key"]!.GetValue<string>();
        var second = Valid(schema, """{"settings":{}}""")["settings"]!["key"]!.GetValue<string>();
        Assert.StartsWith("key-", first);
        Assert.NotEqual(first, second);
        Assert.Equal("mine", Valid(schema, """{"settings":{"key":"mine"}}""")["settings"]!["key"]!.GetValue<string>());

        var stored = Valid(schema, "{}");
        Assert.Equal(stored["settings"]!["key"]!.GetValue<string>(),
            Valid(schema, """{"settings":{}}""", WriteMode.Update, stored)["settings"]!["key"]!.GetValue<string>());
        // An explicit null is not replaced: the field is then missing.
        HasError(Invalid(schema, """{"settings":{"key":null}}"""), "settings.key", "required field missing");
    }

    private static readonly EntitySchema s_shorthands = Schema(new Field("timeouts", FieldType.Record)
    {
        Fields = [new Field("idle", FieldType.Number) { Default = 900 }, new Field("rolling", FieldType.Number) { Default = 3600 }],
        Shorthands =
        [
            new ShorthandField(new Field("idletime", FieldType.Number), v => new JsonObject { ["idle"] = v.DeepClone() })
            {
                ExpandNull = () => new JsonObject { ["idle"] = 0 },
            },
            new ShorthandField(new Field("lifetime", FieldType.Number), v => new JsonObject { ["rolling"] = v.DeepClone() }),
        ],
    });

    [Fact]
    public void A_shorthand_given_null_expands_as_its_func_would_or_is_dropped()
    {
        Assert.Equal("""{"idle":0,"rolling":3600}""", Valid(s_shorthands, """{"timeouts":{"idletime":null}}""")["timeouts"]!.ToJsonString());
        Assert.Equal("""{"idle":900,"rolling":3600}""", Valid(s_shorthands, """{"timeouts":{"lifetime":null}}""")["timeouts"]!.ToJsonString());
        // A shorthand that is not deprecated wins over the field it writes.
        Assert.Equal("""{"idle":5,"rolling":3600}""", Valid(s_shorthands, """{"timeouts":{"idle":7,"idletime":5}}""")["timeouts"]!.ToJsonString());
    }

    [Fact]
    public void A_deprecated_shorthand_moves_its_value_to_a_nested_path()
    {
        var schema = Schema(new Field("store", FieldType.Record)
        {
            Fields = [new Field("extra", FieldType.Record) { Fields = [new Field("namespace", FieldType.String) { EmptyAllowed = true }] }],
            Shorthands = [ShorthandField.Deprecated(new Field("namespace", FieldType.String) { EmptyAllowed = true }, "extra.namespace")],
        });
        Assert.Equal("""{"extra":{"namespace":"ns"}}""", Valid(schema, """{"store":{"namespace":"ns"}}""")["store"]!.ToJsonString());
        HasError(Invalid(schema, """{"store":{"namespace":"a","extra":{"namespace":"b"}}}"""), "store.namespace",
            "both deprecated and new field are used but their values mismatch: namespace = a vs extra.namespace = b");
    }

    private static readonly EntitySchema s_conditionals = Schema(
        new Field("tls", FieldType.Boolean) { Default = false },
        new Field("starttls", FieldType.Boolean) { Default = false },
        new Field("mandatory", FieldType.Boolean) { Default = false },
        new Field("scopes", FieldType.Array) { Elements = new Field("scope", FieldType.String) }) with
    {
        Checks =
        [
            EntityChecks.Conditional("tls", EntityChecks.IsTrue, "starttls", EntityChecks.MustBe(false), "'tls' and 'starttls' cannot be enabled simultaneously"),
            EntityChecks.Conditional("mandatory", EntityChecks.IsTrue, "scopes", EntityChecks.NotNull),
        ],
    };

    [Fact]
    public void A_conditional_with_its_own_error_reports_it_instead_of_Kongs()
    {
        var errors = Invalid(s_conditionals, """{"tls":true,"starttls":true}""");
        HasError(errors, "starttls", "value must be false");
        HasError(errors, null, "'tls' and 'starttls' cannot be enabled simultaneously");
        Assert.DoesNotContain(errors, e => e.Message.StartsWith("failed conditional", StringComparison.Ordinal));
        HasError(Invalid(s_conditionals, """{"tls":true,"starttls":null}"""), "starttls", "value must be false");
        Valid(s_conditionals, """{"tls":true}""");
    }

    [Fact]
    public void A_required_then_match_refuses_only_null_so_an_empty_list_passes()
    {
        Valid(s_conditionals, """{"mandatory":true,"scopes":[]}""");
        var errors = Invalid(s_conditionals, """{"mandatory":true}""");
        HasError(errors, "scopes", "required field missing");
        HasError(errors, null, "failed conditional validation given value of field 'mandatory'");
    }

    [Theory]
    [InlineData(true, true, null)]
    [InlineData(true, false, "value must be true")]
    [InlineData(false, true, "value must be false")]
    [InlineData(false, null, "value must be false")]
    public void Must_be_words_an_eq_then_match_as_Kong_does(bool expected, bool? value, string? message) =>
        Assert.Equal(message, EntityChecks.MustBe(expected)(value is null ? null : JsonValue.Create(value.Value)));

    [Fact]
    public void A_check_over_a_vault_reference_is_skipped()
    {
        var schema = Schema(
            new Field("key", FieldType.String) { Referenceable = true },
            new Field("secret", FieldType.String) { Referenceable = true }) with
        {
            Checks = [EntityChecks.UnlessReferenced(EntityChecks.MutuallyRequired("key", "secret"), "key", "secret")],
        };
        HasError(Invalid(schema, """{"key":"k"}"""), null, "all or none of these fields must be set: 'key', 'secret'");
        Valid(schema, """{"key":"{vault://env/key}"}""");
        Valid(schema, """{"key":"k","secret":"s"}""");
    }

    [Theory]
    [InlineData("https://example.test", null)]
    [InlineData("http://user:pw@example.test:8080/a?b#c", null)]
    [InlineData("http://[::1]:80", null)]
    [InlineData("ftp://example.test/", null)]
    [InlineData("example.test", "missing host in url")]
    [InlineData("example.test:8080", "missing host in url")]
    [InlineData("http://", "missing host in url")]
    [InlineData("http://:8080", "missing host in url")]
    [InlineData("http:/example.test", "missing host in url")]
    [InlineData("//example.test", "missing scheme in url")]
    [InlineData("#http://example.test", "missing host in url")]
    public void Url_needs_what_luasocket_reads_as_a_host_and_a_scheme(string url, string? message) =>
        Assert.Equal(message, Typedefs.Url(JsonValue.Create(url)));

    [Theory]
    [InlineData("example.test", null)]
    [InlineData("*.example.test", null)]
    [InlineData("example.*", null)]
    [InlineData("example.test:8443", null)]
    [InlineData("*.*.example.test", "invalid wildcard: must have at most one wildcard")]
    [InlineData("ex*ample.test", "invalid wildcard: must be placed at leftmost or rightmost label")]
    public void Hosts_allow_one_wildcard_label_at_either_end(string host, string? message) =>
        Assert.Equal(message, Typedefs.HostWithWildcards(JsonValue.Create(host)));
}
