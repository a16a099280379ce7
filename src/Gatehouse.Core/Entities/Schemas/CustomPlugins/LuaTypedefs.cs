using Gatehouse.Core.Entities.Schemas.PluginConfigs;

namespace Gatehouse.Core.Entities.Schemas.CustomPlugins;

/// <summary>
/// The <c>typedefs.*</c> a custom schema may name, as the engine's fields (kong/db/schema/typedefs.lua
/// at 3.9.3): the ones whose rules Gatehouse already implements. The plugin-level
/// <c>no_consumer</c>, <c>no_route</c> and <c>no_service</c> and the two protocols typedefs are
/// read by <see cref="LuaSchemaConverter"/> itself.
/// </summary>
public static class LuaTypedefs
{
    private static readonly Dictionary<string, Func<string, Field>> s_fields = new(StringComparer.Ordinal)
    {
        ["header_name"] = Typedefs.HeaderName,
        ["host"] = name => Typedefs.Host(name),
        ["redis_host"] = name => Typedefs.Host(name),
        ["host_with_optional_port"] = name => new Field(name, FieldType.String).With(Typedefs.HostValidator(allowPort: true)),
        ["wildcard_host"] = name => new Field(name, FieldType.String).With(Typedefs.WildcardHost),
        ["ip_or_cidr"] = name => new Field(name, FieldType.String).With(Typedefs.IpOrCidr),
        ["port"] = name => Typedefs.Port(name),
        ["path"] = Typedefs.Path,
        ["url"] = name => PluginFields.Url(name),
        ["timeout"] = name => new Field(name, FieldType.Integer).With(Validators.Between(0, 2147483646)),
        ["uuid"] = name => new Field(name, FieldType.String).With(Validators.Uuid),
        ["http_method"] = Typedefs.HttpMethod,
        ["sni"] = PluginFields.Sni,
        ["hosts"] = PluginFields.Hosts,
        ["ttl"] = name => PluginFields.Ttl(name),
        ["lua_code"] = PluginFields.LuaCode,
        ["tags"] = name => Typedefs.Tags with { Name = name },
        ["name"] = name => Typedefs.Utf8Name(name, unique: false),
        ["protocol"] = name => Typedefs.Protocol(name),
        ["protocols"] = name => PluginFields.AnyProtocols with { Name = name },
        ["protocols_http"] = name => PluginFields.HttpOnly with { Name = name },
        ["queue"] = name => QueueRecord.Config with { Name = name },
    };

    /// <summary>Every typedef name a custom schema may use, sorted; for the docs and the error that names them.</summary>
    public static IReadOnlyList<string> Names { get; } =
        [.. s_fields.Keys.Concat(["no_consumer", "no_route", "no_service"]).Order(StringComparer.Ordinal)];

    /// <summary>The typedef as a field named <paramref name="name"/>; a refusal for a typedef Gatehouse does not implement.</summary>
    public static Field Field(string typedef, string name, int line) => s_fields.TryGetValue(typedef, out var field)
        ? field(name)
        : throw new LuaSchemaException(line, $"typedefs.{typedef} is not supported here (supported: {string.Join(", ", Names)})");
}
