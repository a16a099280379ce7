using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace Gatehouse.Core.Entities;

/// <summary>
/// The name Kong's schema language gives a rule and its value: <c>one_of</c> and the choices,
/// <c>between</c> and the bounds, an entity check's <c>at_least_one_of</c> and its fields, a
/// conditional's <c>eq</c> and the value it matches.
/// </summary>
public sealed record SchemaRule(string Key, JsonNode? Value);

/// <summary>
/// Keeps each rule's Kong name beside the delegate that implements it, so a schema can be written
/// back in Kong's words (<see cref="KongSchemaJson"/>) while fields keep plain delegates. A
/// delegate without a name is what Kong calls a <c>custom_validator</c>: code, which Kong's
/// schema JSON leaves out as well (kong/api/api_helpers.lua:155-231 drops functions).
/// </summary>
public static class SchemaRules
{
    // Weak keys: a rule's name lives as long as the delegate does, and costs nothing per call.
    private static readonly ConditionalWeakTable<Delegate, SchemaRule> s_names = [];

    /// <summary>Names <paramref name="rule"/> and returns it, for the factories that build Kong's rules.</summary>
    public static T Named<T>(this T rule, string key, JsonNode? value) where T : Delegate
    {
        s_names.AddOrUpdate(rule, new SchemaRule(key, value));
        return rule;
    }

    /// <summary>The rule's Kong name and value; null for a custom rule.</summary>
    public static SchemaRule? Of(Delegate rule) => s_names.TryGetValue(rule, out var named) ? named : null;

    /// <summary>A number as Lua's cjson writes it: integral values without a fraction.</summary>
    public static JsonNode Number(double value) =>
        double.IsFinite(value) && Math.Floor(value) == value && Math.Abs(value) < 9.007e15
            ? JsonValue.Create((long)value)
            : JsonValue.Create(value);

    public static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);
}
