using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gatehouse.Core.Entities;

/// <summary>
/// Kong's entity checks (kong/db/schema/init.lua) with Kong's messages. Field names may be
/// dotted paths into records (<c>config.redis.host</c>), as Kong's get_field reads them (si:472-482).
/// </summary>
public static partial class EntityChecks
{
    /// <summary>The value at a dotted path, or null when any step is missing or not a record.</summary>
    public static JsonNode? Get(JsonObject entity, string path)
    {
        JsonNode? node = entity;
        foreach (var step in path.Split('.'))
        {
            node = node is JsonObject record ? record[step] : null;
        }
        return node;
    }

    /// <summary>Not null, not "", not [] or {} — Kong's "non-empty".</summary>
    public static bool IsSet(JsonNode? value) => value switch
    {
        null => false,
        JsonArray array => array.Count > 0,
        JsonObject map => map.Count > 0,
        _ => !(value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Length == 0),
    };

    public static EntityCheck AtLeastOneOf(params string[] fields) => Named((entity, context) =>
        fields.Any(f => IsSet(Get(entity, f)))
            ? []
            : [FieldError.Entity($"{(context.IsUpdate ? "when updating, " : "")}at least one of these fields must be non-empty: {Quote(fields)}")],
        "at_least_one_of", SchemaRules.Strings(fields));

    public static EntityCheck MutuallyExclusive(params string[] fields) => Named((entity, _) =>
        fields.Count(f => IsSet(Get(entity, f))) > 1
            ? [FieldError.Entity($"only one or none of these fields must be set: {Quote(fields)}")]
            : [],
        "mutually_exclusive", SchemaRules.Strings(fields));

    public static EntityCheck MutuallyRequired(params string[] fields) => Named((entity, _) =>
        fields.Count(f => IsSet(Get(entity, f))) is var n && n > 0 && n < fields.Length
            ? [FieldError.Entity($"all or none of these fields must be set: {Quote(fields)}")]
            : [],
        "mutually_required", SchemaRules.Strings(fields));

    public static EntityCheck Distinct(string first, string second) => Named((entity, _) =>
        IsSet(Get(entity, first)) && JsonNode.DeepEquals(Get(entity, first), Get(entity, second))
            ? [FieldError.Entity($"values of these fields must be distinct: '{first}', '{second}'")]
            : [],
        "distinct", SchemaRules.Strings([first, second]));

    public static EntityCheck OnlyOneOf(params string[] fields) => Named((entity, _) =>
        fields.Count(f => IsSet(Get(entity, f))) == 1
            ? []
            : [FieldError.Entity($"exactly one of these fields must be non-empty: {Quote(fields)}")],
        "only_one_of", SchemaRules.Strings(fields));

    /// <summary>
    /// Kong's custom_entity_check: <paramref name="check"/> sees the whole entity and returns its
    /// message, but runs only when none of <paramref name="sources"/> failed validation.
    /// </summary>
    public static EntityCheck Custom(string[] sources, Func<JsonObject, string?> check) => Named((entity, context) =>
        sources.Any(context.HasError) || check(entity) is not { } message ? [] : [FieldError.Entity(message)],
        "custom_entity_check", new JsonObject { ["field_sources"] = SchemaRules.Strings(sources) });

    /// <summary>
    /// When <paramref name="ifField"/> satisfies <paramref name="when"/>, <paramref name="thenField"/>
    /// must satisfy <paramref name="then"/>. The entity error is Kong's conditional message, or the
    /// check's own <c>then_err</c> (<paramref name="thenError"/>, its <c>%s</c> filled with the if-field, si:759-764)
    /// where the schema gives one. Named for Kong's schema JSON when both matchers are (<see cref="Is"/>, <see cref="Required"/>...).
    /// </summary>
    public static EntityCheck Conditional(string ifField, Func<JsonNode?, bool> when, string thenField, Func<JsonNode?, string?> then,
        string? thenError = null)
    {
        EntityCheck check = (entity, _) =>
        {
            if (!when(Get(entity, ifField)) || then(Get(entity, thenField)) is not { } message)
            {
                return [];
            }
            return [new FieldError(thenField, message),
                FieldError.Entity(thenError?.Replace("%s", ifField, StringComparison.Ordinal) ?? $"failed conditional validation given value of field '{ifField}'")];
        };
        if (SchemaRules.Of(when) is not { } ifMatch || SchemaRules.Of(then) is not { } thenMatch)
        {
            return check;
        }
        var rule = new JsonObject
        {
            ["if_field"] = ifField,
            ["if_match"] = new JsonObject { [ifMatch.Key] = ifMatch.Value?.DeepClone() },
            ["then_field"] = thenField,
            ["then_match"] = new JsonObject { [thenMatch.Key] = thenMatch.Value?.DeepClone() },
        };
        if (thenError is not null)
        {
            rule["then_err"] = thenError;
        }
        return check.Named("conditional", rule);
    }

    /// <summary>
    /// Kong skips an entity check when one of its fields holds a vault reference (si:1311-1315):
    /// only the data plane can resolve it. <paramref name="referenceable"/> names the check's
    /// fields that are <c>referenceable</c>. Kong's schema JSON shows the check itself.
    /// </summary>
    public static EntityCheck UnlessReferenced(EntityCheck check, params string[] referenceable)
    {
        EntityCheck unless = (entity, context) =>
            referenceable.Any(f => Text(Get(entity, f)) is { } value && EntityProcessor.IsVaultReference(value)) ? [] : check(entity, context);
        return SchemaRules.Of(check) is { } rule ? unless.Named(rule.Key, rule.Value) : unless;
    }

    /// <summary>Kong's <c>if_match = { eq = v }</c>, or <c>{ one_of = {...} }</c> for several values.</summary>
    public static Func<JsonNode?, bool> Is(params string[] values) => Matcher(node => IsOneOf(node, values),
        values.Length == 1 ? "eq" : "one_of", values.Length == 1 ? (JsonNode)values[0] : SchemaRules.Strings(values));

    /// <summary>Kong's <c>if_match = { eq = true }</c>.</summary>
    public static Func<JsonNode?, bool> IsTrue { get; } = Matcher(node => node?.GetValueKind() == JsonValueKind.True, "eq", true);

    /// <summary>Kong's <c>if_match = { not_one_of = {...} }</c>.</summary>
    public static Func<JsonNode?, bool> IsNot(params string[] values) => Matcher(node => !IsOneOf(node, values), "not_one_of", SchemaRules.Strings(values));

    /// <summary>Kong's <c>if_match = { gt = n }</c> on a number.</summary>
    public static Func<JsonNode?, bool> Greater(double limit) =>
        Matcher(node => node?.GetValueKind() == JsonValueKind.Number && Validators.AsDouble(node) > limit, "gt", SchemaRules.Number(limit));

    /// <summary>Kong's <c>then_match = { contains = v }</c> on a list: null passes (the field is not required), a list must hold the value.</summary>
    public static Func<JsonNode?, string?> Contains(string value) => Requirement(node =>
        node is not JsonArray list || list.Any(item => Text(item) == value) ? null : $"expected to contain: {value}", "contains", value);

    /// <summary>Kong's <c>then_match = { eq = null }</c>.</summary>
    public static Func<JsonNode?, string?> MustBeNull { get; } = Requirement(node => node is null ? null : "value must be null", "eq", null);

    /// <summary>Kong's <c>then_match = { required = true }</c>.</summary>
    public static Func<JsonNode?, string?> Required { get; } = Requirement(node => IsSet(node) ? null : "required field missing", "required", true);

    /// <summary>
    /// Kong's <c>then_match = { required = true }</c> taken literally (si:745-749): only a null
    /// fails, so an empty list passes (oauth2's <c>scopes</c> when <c>mandatory_scope</c>).
    /// </summary>
    public static Func<JsonNode?, string?> NotNull { get; } = Requirement(node => node is null ? "required field missing" : null, "required", true);

    /// <summary>Kong's <c>then_match = { eq = true }</c> (or false) on a boolean: null fails too (si:221-227, 881-883).</summary>
    public static Func<JsonNode?, string?> MustBe(bool expected) => Requirement(node => node?.GetValueKind() switch
    {
        JsonValueKind.True or JsonValueKind.False when node.GetValue<bool>() == expected => null,
        null or JsonValueKind.True or JsonValueKind.False => $"value must be {(expected ? "true" : "false")}",
        _ => "expected a boolean",
    }, "eq", expected);

    /// <summary>Kong's <c>then_match = { one_of = {...} }</c>.</summary>
    public static Func<JsonNode?, string?> OneOfValues(params string[] values) => Requirement(node =>
        node is null || IsOneOf(node, values) ? null : $"expected one of: {string.Join(", ", values)}", "one_of", SchemaRules.Strings(values));

    private static bool IsOneOf(JsonNode? node, string[] values) =>
        node?.GetValueKind() == JsonValueKind.String && values.Contains(node.GetValue<string>());

    private static EntityCheck Named(EntityCheck check, string key, JsonNode value) => check.Named(key, value);

    private static Func<JsonNode?, bool> Matcher(Func<JsonNode?, bool> matches, string key, JsonNode? value) => matches.Named(key, value);

    private static Func<JsonNode?, string?> Requirement(Func<JsonNode?, string?> requirement, string key, JsonNode? value) => requirement.Named(key, value);

    /// <summary>
    /// The string a field holds, or null when it holds none or something else: checks run even
    /// when a field failed its type, so they must not assume it.
    /// </summary>
    public static string? Text(JsonNode? node) => node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;

    public static string Quote(IEnumerable<string> fields) => string.Join(", ", fields.Select(f => $"'{f}'"));

    /// <summary>The strings of a set or array field (absent or invalid elements skipped).</summary>
    public static IReadOnlyList<string> Strings(JsonNode? node) =>
        node is JsonArray array
            ? [.. array.Where(n => n?.GetValueKind() == JsonValueKind.String).Select(n => n!.GetValue<string>())]
            : [];
}
