using System.Text.Json.Nodes;

namespace Gatehouse.Core.Entities;

/// <summary>
/// Kong's conditional entity checks beyond the plain <c>conditional</c>: <c>conditional_at_least_one_of</c>,
/// null-or if-matches, and the <c>eq</c> then-match on strings.
/// </summary>
public static partial class EntityChecks
{
    /// <summary>
    /// Kong's <c>conditional_at_least_one_of</c> (si:607-672): when <paramref name="ifField"/>
    /// satisfies <paramref name="when"/>, one of <paramref name="fields"/> must be non-empty. The
    /// entity error is <paramref name="thenError"/> with its <c>%s</c> filled with the quoted
    /// list, or Kong's "at least one of these fields must be non-empty: …". (No bundled 3.9
    /// plugin uses the <c>else_match</c> branch.)
    /// </summary>
    public static EntityCheck ConditionalAtLeastOneOf(string ifField, Func<JsonNode?, bool> when, string[] fields, string? thenError = null)
    {
        EntityCheck check = (entity, _) => !when(Get(entity, ifField)) || fields.Any(f => IsSet(Get(entity, f)))
            ? []
            : [FieldError.Entity(thenError?.Replace("%s", Quote(fields), StringComparison.Ordinal)
                ?? $"at least one of these fields must be non-empty: {Quote(fields)}")];
        if (SchemaRules.Of(when) is not { } ifMatch)
        {
            return check;
        }
        var rule = new JsonObject
        {
            ["if_field"] = ifField,
            ["if_match"] = new JsonObject { [ifMatch.Key] = ifMatch.Value?.DeepClone() },
            ["then_at_least_one_of"] = SchemaRules.Strings(fields),
        };
        if (thenError is not null)
        {
            rule["then_err"] = thenError;
        }
        return check.Named("conditional_at_least_one_of", rule);
    }

    /// <summary>
    /// An if-match on a field that is not required: Kong's validate_field passes a null value
    /// unless the match has <c>eq</c> or the field is required (si:877-888), so a field set to
    /// null explicitly satisfies <c>one_of</c> and the then-part applies.
    /// </summary>
    public static Func<JsonNode?, bool> NullOr(Func<JsonNode?, bool> when)
    {
        Func<JsonNode?, bool> matches = node => node is null || when(node);
        // The same if_match in Kong's words: the null case is Kong's reading of it, not another rule.
        return SchemaRules.Of(when) is { } rule ? matches.Named(rule.Key, rule.Value) : matches;
    }

    /// <summary>
    /// Kong's <c>eq</c> as a then-match (si:881-883 for null, 221-227): anything else, null included, is
    /// "value must be …" with the wanted value as Lua's tostring writes it.
    /// </summary>
    public static Func<JsonNode?, string?> MustBe(string wanted) =>
        Requirement(node => Text(node) == wanted ? null : $"value must be {wanted}", "eq", wanted);
}
