using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

using Gatehouse.Core.Entities.Schemas.CustomPlugins;

namespace Gatehouse.Core.Entities;

/// <summary>Kong's generic field validators (kong/db/schema/init.lua), with Kong's messages.</summary>
public static class Validators
{
    public static Validator OneOf(params string[] choices) => Named(value =>
        value.GetValueKind() == JsonValueKind.String && choices.Contains(value.GetValue<string>())
            ? null
            : $"expected one of: {string.Join(", ", choices)}", "one_of", SchemaRules.Strings(choices));

    public static Validator OneOfIntegers(params int[] choices) => Named(value =>
        TryInteger(value, out var n) && choices.Contains((int)n) ? null : $"expected one of: {string.Join(", ", choices)}",
        "one_of", new JsonArray([.. choices.Select(c => (JsonNode)c)]));

    public static Validator NotOneOf(params string[] choices) => Named(value =>
        value.GetValueKind() == JsonValueKind.String && choices.Contains(value.GetValue<string>())
            ? $"must not be one of: {string.Join(", ", choices)}"
            : null, "not_one_of", SchemaRules.Strings(choices));

    /// <summary>
    /// Kong's <c>between</c>. Its message formats the limits with <c>%d</c> (si:79), which LuaJIT
    /// truncates: a queue's <c>between = { 0.001, 1000000 }</c> reads "between 0 and 1000000".
    /// </summary>
    public static Validator Between(double minimum, double maximum) => Named(value =>
        AsDouble(value) is var n && n >= minimum && n <= maximum
            ? null
            : $"value should be between {LuaInteger(minimum)} and {LuaInteger(maximum)}",
        "between", new JsonArray(SchemaRules.Number(minimum), SchemaRules.Number(maximum)));

    private static string LuaInteger(double limit) => ((long)limit).ToString(CultureInfo.InvariantCulture);

    /// <summary>Kong's <c>gt</c>: "value must be greater than 0", the limit as Lua's tostring writes it.</summary>
    public static Validator GreaterThan(double limit) => Named(value =>
        AsDouble(value) > limit ? null : $"value must be greater than {limit.ToString("R", CultureInfo.InvariantCulture)}",
        "gt", SchemaRules.Number(limit));

    /// <summary>
    /// Kong's <c>is_regex</c> ("not a valid regex: …"). Kong compiles with PCRE; .NET's syntax is
    /// close enough to refuse what is not a regex at all (unbalanced brackets, bad escapes).
    /// </summary>
    public static Validator IsRegex { get; } = Named(value => ValidRegex(value.GetValue<string>()) ? null : $"not a valid regex: {value.GetValue<string>()}",
        "is_regex", true);

    public static bool ValidRegex(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// Kong's len_min and len_max (si:162-174): a string's length is Lua's <c>#value</c>, its
    /// UTF-8 bytes; an array's, its elements; a map's, its keys.
    /// </summary>
    public static Validator LengthMin(int minimum) => Named(value => Length(value) >= minimum ? null : $"length must be at least {minimum}", "len_min", minimum);

    public static Validator LengthMax(int maximum) => Named(value => Length(value) <= maximum ? null : $"length must be at most {maximum}", "len_max", maximum);

    /// <summary>
    /// Kong's <c>match</c>, checked with a .NET regex. It is named in Kong's schema JSON only when
    /// <paramref name="luaPattern"/> gives Kong's own Lua pattern (a regex is not one); without it,
    /// it is a custom validator there, as Kong's typedefs that check names in code are.
    /// </summary>
    public static Validator Match(Regex pattern, Func<string, string>? message = null, string? luaPattern = null)
    {
        Validator match = value =>
            pattern.IsMatch(value.GetValue<string>()) ? null : message?.Invoke(value.GetValue<string>()) ?? $"invalid value: {value.GetValue<string>()}";
        return luaPattern is null ? match : Named(match, "match", luaPattern);
    }

    /// <summary>
    /// Kong's <c>match</c> as Kong's schema.lua writes it, a Lua pattern (<see cref="LuaPattern"/>):
    /// checked as that pattern reads, and named with it in Kong's schema JSON. <paramref name="line"/>
    /// is where an uploaded schema gives it, for the error when it is outside the subset.
    /// </summary>
    public static Validator LuaMatch(string luaPattern, Func<string, string>? message = null, int line = 0) =>
        Match(LuaPattern.ToRegex(luaPattern, line), message, luaPattern);

    /// <summary>One entry of Kong's <c>match_none</c>: a value matching the Lua pattern is refused with <paramref name="message"/>.</summary>
    public static Validator LuaMatchNone(string luaPattern, string message, int line = 0)
    {
        var pattern = LuaPattern.ToRegex(luaPattern, line);
        Validator none = value => pattern.IsMatch(value.GetValue<string>()) ? message : null;
        return Named(none, MatchNoneKey, new JsonArray(new JsonObject { ["pattern"] = luaPattern, ["err"] = message }));
    }

    /// <summary>Kong's <c>match_none</c>: a list, which Kong's schema JSON writes as one attribute.</summary>
    public const string MatchNoneKey = "match_none";

    public static Validator StartsWith(string prefix) => Named(value =>
        value.GetValue<string>().StartsWith(prefix, StringComparison.Ordinal) ? null : $"should start with: {prefix}", "starts_with", prefix);

    public static Validator Uuid { get; } = Named(value =>
        value.GetValueKind() == JsonValueKind.String && IsUuid(value.GetValue<string>()) ? null : "expected a valid UUID", "uuid", true);

    private static Validator Named(Validator validator, string key, JsonNode value) => validator.Named(key, value);

    public static bool IsUuid(string value) => value.Length == 36 && Guid.TryParseExact(value, "D", out _);

    internal static bool TryInteger(JsonNode value, out long result)
    {
        result = 0;
        if (value.GetValueKind() != JsonValueKind.Number)
        {
            return false;
        }
        if (value.AsValue().TryGetValue<JsonElement>(out var element) ? element.TryGetInt64(out result) : value.AsValue().TryGetValue(out result))
        {
            return true;
        }
        // Kong accepts 5.0 as the integer 5: any finite number equal to its floor.
        var d = AsDouble(value);
        if (double.IsFinite(d) && Math.Floor(d) == d && Math.Abs(d) < 9.2e18)
        {
            result = (long)d;
            return true;
        }
        return false;
    }

    /// <summary>A JSON number as a double, whether it came from parsed text or from a default built in code.</summary>
    internal static double AsDouble(JsonNode value) => value.AsValue().TryGetValue<JsonElement>(out var element)
        ? element.GetDouble()
        : Convert.ToDouble(value.GetValue<object>(), CultureInfo.InvariantCulture);

    private static int Length(JsonNode value) => value switch
    {
        JsonArray array => array.Count,
        JsonObject map => map.Count,
        _ => System.Text.Encoding.UTF8.GetByteCount(value.GetValue<string>()),
    };
}
