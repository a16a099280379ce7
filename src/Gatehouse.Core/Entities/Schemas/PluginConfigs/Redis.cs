using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>The shared <c>redis</c> record of Kong's Redis-backed plugins (kong/tools/redis/schema.lua:5-35 at 3.9.3).</summary>
public static class Redis
{
    /// <summary>
    /// The deprecated <c>redis_*</c> shorthands of rate-limiting (schema.lua:101-194) and
    /// response-ratelimiting (schema.lua:140-233), in their order: each moves to <c>redis.*</c>.
    /// </summary>
    public static IReadOnlyList<ShorthandField> DeprecatedShorthands { get; } =
    [
        Moved("host", FieldType.String),
        Moved("port", FieldType.Integer),
        Moved("password", FieldType.String, emptyAllowed: true),
        Moved("username", FieldType.String),
        Moved("ssl", FieldType.Boolean),
        Moved("ssl_verify", FieldType.Boolean),
        Moved("server_name", FieldType.String),
        Moved("timeout", FieldType.Integer),
        Moved("database", FieldType.Integer),
    ];

    private static ShorthandField Moved(string name, FieldType type, bool emptyAllowed = false) =>
        ShorthandField.Deprecated(new Field($"redis_{name}", type) { EmptyAllowed = emptyAllowed }, $"redis.{name}");

    public static Field Config { get; } = Record("redis",
        Typedefs.Host("host"),
        Typedefs.Port("port", @default: 6379),
        Timeout("timeout", 2000),
        Text("username") with { Referenceable = true },
        Text("password") with { Referenceable = true, EmptyAllowed = true },
        Integer("database", 0),
        Bool("ssl", false, required: false),
        Bool("ssl_verify", false, required: false),
        Sni("server_name"));
}
