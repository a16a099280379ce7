using Gatehouse.Core.Entities;
using static Gatehouse.Core.Entities.EntityChecks;
using static Gatehouse.Core.Tests.Entities.EntityAssert;

namespace Gatehouse.Core.Tests.Entities;

/// <summary>
/// Kong's conditional entity checks beyond the plain one (si:607-672, 725-769), the skip for vault
/// references (si:1311-1315), and a record's own checks skipping sources that failed (si:1323-1329).
/// </summary>
public sealed class ConditionalChecksTests
{
    private static EntitySchema Things(params EntityCheck[] checks) => new("things",
    [
        Typedefs.Id,
        new Field("kind", FieldType.String).With(Validators.OneOf("a", "b")),
        new Field("mode", FieldType.String),
        new Field("flag", FieldType.Boolean),
        new Field("secret", FieldType.String) { Referenceable = true },
        new Field("partner", FieldType.String),
        new Field("options", FieldType.Record) { Optional = true, Fields = [new Field("x", FieldType.String), new Field("y", FieldType.String)] },
    ])
    {
        Singular = "thing",
        Checks = checks,
    };

    [Fact]
    public void A_conditional_with_its_own_message_puts_it_on_the_entity_instead_of_Kongs()
    {
        var schema = Things(Conditional("kind", Is("a"), "mode", MustBe("fast"), "kind %s needs the fast mode"));
        var errors = Invalid(schema, """{"kind":"a","mode":"slow"}""");
        HasError(errors, "mode", "value must be fast");
        HasError(errors, null, "kind kind needs the fast mode");
        Assert.DoesNotContain(errors, e => e.Message.StartsWith("failed conditional validation", StringComparison.Ordinal));
        HasError(Invalid(schema, """{"kind":"a"}"""), "mode", "value must be fast");
        Valid(schema, """{"kind":"a","mode":"fast"}""");
        Valid(schema, """{"kind":"b","mode":"slow"}""");
        Valid(schema, "{}");
    }

    [Fact]
    public void Eq_false_refuses_null_as_Kong_does()
    {
        var schema = Things(Conditional("kind", Is("a"), "flag", MustBe(false)));
        HasError(Invalid(schema, """{"kind":"a"}"""), "flag", "value must be false");
        HasError(Invalid(schema, """{"kind":"a","flag":true}"""), null, "failed conditional validation given value of field 'kind'");
        Valid(schema, """{"kind":"a","flag":false}""");
    }

    [Fact]
    public void An_explicit_null_in_a_field_that_is_not_required_satisfies_the_if_match()
    {
        var schema = Things(Conditional("kind", NullOr(Is("a")), "mode", MustBe("fast")));
        HasError(Invalid(schema, """{"kind":null,"mode":"slow"}"""), "mode", "value must be fast");
        HasError(Invalid(schema, """{"kind":"a","mode":"slow"}"""), "mode", "value must be fast");
        Valid(schema, """{"kind":"b","mode":"slow"}""");
    }

    [Fact]
    public void Conditional_at_least_one_of_uses_the_schemas_message_with_the_quoted_list()
    {
        var own = Things(ConditionalAtLeastOneOf("kind", Is("a"), ["options.x", "options.y"], "must set %s for a"));
        HasError(Invalid(own, """{"kind":"a"}"""), null, "must set 'options.x', 'options.y' for a");
        HasError(Invalid(own, """{"kind":"a","options":{"x":""}}"""), "options.x", "length must be at least 1");
        Valid(own, """{"kind":"a","options":{"y":"1"}}""");
        Valid(own, """{"kind":"b"}""");
        Valid(own, "{}");

        var kongs = Things(ConditionalAtLeastOneOf("kind", Is("a"), ["mode"]));
        HasError(Invalid(kongs, """{"kind":"a"}"""), null, "at least one of these fields must be non-empty: 'mode'");
    }

    [Fact]
    public void A_check_over_a_referenceable_field_holding_a_vault_reference_does_not_run()
    {
        var schema = Things(UnlessReferenced(MutuallyRequired("secret", "partner"), "secret"));
        Valid(schema, """{"secret":"{vault://env/secret}"}""");
        HasError(Invalid(schema, """{"secret":"plain"}"""), null, "all or none of these fields must be set: 'secret', 'partner'");
        HasError(Invalid(schema, """{"partner":"p"}"""), null, "all or none of these fields must be set: 'secret', 'partner'");
        Valid(schema, """{"secret":"plain","partner":"p"}""");
    }

    [Fact]
    public void A_records_custom_check_skips_sources_that_failed_and_reports_on_the_record()
    {
        var schema = new EntitySchema("things",
        [
            Typedefs.Id,
            new Field("limits", FieldType.Record)
            {
                Fields = [new Field("low", FieldType.Integer), new Field("high", FieldType.Integer)],
                RecordChecks = [Custom(["low", "high"], limits =>
                    Get(limits, "low")?.GetValue<long>() > Get(limits, "high")?.GetValue<long>() ? "low must not exceed high" : null)],
            },
        ])
        { Singular = "thing" };

        HasError(Invalid(schema, """{"limits":{"low":3,"high":2}}"""), "limits", "low must not exceed high");
        var errors = Invalid(schema, """{"limits":{"low":3,"high":"x"}}""");
        HasError(errors, "limits.high", "expected an integer");
        Assert.DoesNotContain(errors, e => e.Message == "low must not exceed high");
        Valid(schema, """{"limits":{"low":1,"high":2}}""");
    }
}
