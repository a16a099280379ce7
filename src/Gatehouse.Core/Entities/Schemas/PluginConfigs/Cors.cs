using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;
using static Gatehouse.Core.Entities.Validators;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>cors (kong/plugins/cors/schema.lua:5-53 at 3.9.3).</summary>
public static class Cors
{
    private static readonly string[] s_methods = ["GET", "HEAD", "PUT", "PATCH", "POST", "DELETE", "OPTIONS", "TRACE", "CONNECT"];

    public static PluginSchema Schema { get; } = new("cors", Config(
        new Field("origins", FieldType.Array) { Elements = new Field("origin", FieldType.String).With(AsteriskOrRegex) },
        Strings("headers"),
        Strings("exposed_headers"),
        Strings("methods", FieldType.Array, s_methods) with { Elements = new Field("method", FieldType.String).With(OneOf(s_methods)) },
        Number("max_age"),
        Bool("credentials", false),
        Bool("private_network", false),
        Bool("preflight_continue", false)))
    {
        NoConsumer = true,
        Protocols = HttpOnly,
    };

    /// <summary>validate_asterisk_or_regex (schema.lua:18-23).</summary>
    private static string? AsteriskOrRegex(System.Text.Json.Nodes.JsonNode value)
    {
        var origin = value.GetValue<string>();
        return origin == "*" || ValidRegex(origin) ? null : $"'{origin}' is not a valid regex";
    }
}
