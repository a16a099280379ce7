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

    public static EntityCheck AtLeastOneOf(params string[] fields) => (entity, context) =>
        fields.Any(f => IsSet(Get(entity, f)))
            ? []
            : [FieldError.Entity($"{(context.IsUpdate ? "when updating, " : "")}at least one of these fields must be non-empty: {Quote(fields)}")];

    public static EntityCheck MutuallyExclusive(params string[] fields) => (entity, _) =>
        fields.Count(f => IsSet(Get(entity, f))) > 1
            ? [FieldError.Entity($"only one or none of these fields must be set: {Quote(fields)}")]
            : [];

    public static EntityCheck MutuallyRequired(params string[] fields) => (entity, _) =>
        fields.Count(f => IsSet(Get(entity, f))) is var n && n > 0 && n < fields.Length
            ? [FieldError.Entity($"all or none of these fields must be set: {Quote(fields)}")]
            : [];

    public static EntityCheck Distinct(string first, string second) => (entity, _) =>
        IsSet(Get(entity, first)) && JsonNode.DeepEquals(Get(entity, first), Get(entity, second))
            ? [FieldError.Entity($"values of these fields must be distinct: '{first}', '{second}'")]
            : [];

    public static EntityCheck OnlyOneOf(params string[] fields) => (entity, _) =>
        fields.Count(f => IsSet(Get(entity, f))) == 1
            ? []
            : [FieldError.Entity($"exactly one of these fields must be non-empty: {Quote(fields)}")];

    /// <summary>
    /// Kong's custom_entity_check: <paramref name="check"/> sees the whole entity and returns its
    /// message, but runs only when none of <paramref name="sources"/> failed validation.
    /// </summary>
    public static EntityCheck Custom(string[] sources, Func<JsonObject, string?> check) => (entity, context) =>
        sources.Any(context.HasError) || check(entity) is not { } message ? [] : [FieldError.Entity(message)];

    /// <summary>When <paramref name="ifField"/> satisfies <paramref name="when"/>, <paramref name="thenField"/> must satisfy <paramref name="then"/>.</summary>
    public static EntityCheck Conditional(string ifField, Func<JsonNode?, bool> when, string thenField, Func<JsonNode?, string?> then) => (entity, _) =>
    {
        if (!when(Get(entity, ifField)) || then(Get(entity, thenField)) is not { } message)
        {
            return [];
        }
        return [new FieldError(thenField, message), FieldError.Entity($"failed conditional validation given value of field '{ifField}'")];
    };

    public static Func<JsonNode?, bool> Is(params string[] values) => node =>
        node?.GetValueKind() == JsonValueKind.String && values.Contains(node.GetValue<string>());

    /// <summary>Kong's <c>if_match = { eq = true }</c>.</summary>
    public static Func<JsonNode?, bool> IsTrue { get; } = node => node?.GetValueKind() == JsonValueKind.True;

    public static Func<JsonNode?, bool> IsNot(params string[] values) => node => !Is(values)(node);

    public static Func<JsonNode?, string?> MustBeNull { get; } = node => node is null ? null : "value must be null";

    public static Func<JsonNode?, string?> Required { get; } = node => IsSet(node) ? null : "required field missing";

    public static Func<JsonNode?, string?> OneOfValues(params string[] values) => node =>
        node is null || Is(values)(node) ? null : $"expected one of: {string.Join(", ", values)}";

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
