using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>
/// The "name:value" list fields of request-transformer and response-transformer
/// (kong/plugins/request-transformer/schema.lua:13-121, kong/plugins/response-transformer/schema.lua:5-79 at 3.9.3).
/// </summary>
internal static partial class TransformerFields
{
    /// <summary>An array that is required and defaults to [] (both schemas' *_array tables).</summary>
    public static Field List(string name, Field elements) => new(name, FieldType.Array) { Required = true, Default = new JsonArray(), Elements = elements };

    public static Field Plain { get; } = new("item", FieldType.String);

    /// <summary>match = "^[^:]+:.*$": Kong's default "invalid value: …".</summary>
    public static Field Colon { get; } = Plain.With(Validators.LuaMatch("^[^:]+:.*$"));

    /// <summary>validate_headers: the part before the first ':' must be a header name.</summary>
    public static Validator HeaderNameBeforeColon { get; } = value => HeaderPair(value.GetValue<string>(), checkValue: false);

    /// <summary>validate_colon_headers: both sides of a rename must be header names.</summary>
    public static Validator HeaderNamesOnBothSides { get; } = value => HeaderPair(value.GetValue<string>(), checkValue: true);

    /// <summary>check_for_value (request-transformer schema.lua:13-26): "name:value" needs a value.</summary>
    public static Validator HasValue { get; } = value =>
    {
        var (name, rest) = Split(value.GetValue<string>());
        return name is not null && rest.Length == 0 ? $"key '{name}' has no value" : null;
    };

    /// <summary>Lua's <c>pair:match("^([^:]+):*(.-)$")</c>: the name before the colons, and the rest.</summary>
    private static (string? Name, string Value) Split(string pair)
    {
        var colon = pair.IndexOf(':', StringComparison.Ordinal);
        if (colon == 0)
        {
            return (null, pair);
        }
        if (colon < 0)
        {
            return (pair, "");
        }
        return (pair[..colon], pair[colon..].TrimStart(':'));
    }

    private static string? HeaderPair(string pair, bool checkValue)
    {
        var (name, value) = Split(pair);
        if (name is null || !HeaderName().IsMatch(name))
        {
            return $"'{name ?? "nil"}' is not a valid header";
        }
        return checkValue && !HeaderName().IsMatch(value) ? $"'{value}' is not a valid header" : null;
    }


    [GeneratedRegex(@"^[A-Za-z0-9_-]+\z")]
    private static partial Regex HeaderName();
}
