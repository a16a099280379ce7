using System.Text.Json.Nodes;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>
/// One plugin's subschema of Kong's plugins entity (its <c>kong/plugins/&lt;name&gt;/schema.lua</c>):
/// the <c>config</c> record, the protocols it runs on, which of consumer, route and service it
/// refuses (Kong's <c>no_consumer</c>, <c>no_route</c>, <c>no_service</c> typedefs), and its
/// entity checks, which name fields by dotted path (<c>config.redis.host</c>).
/// </summary>
public sealed record PluginSchema(string Name, Field Config)
{
    /// <summary>Kong's <c>typedefs.protocols</c> unless the plugin narrows it (<c>protocols_http</c>).</summary>
    public Field Protocols { get; init; } = PluginFields.AnyProtocols;

    public bool NoConsumer { get; init; }

    public bool NoRoute { get; init; }

    public bool NoService { get; init; }

    public IReadOnlyList<EntityCheck> Checks { get; init; } = [];
}

/// <summary>Field builders shared by the plugin schemas, after Kong's typedefs (kong/db/schema/typedefs.lua).</summary>
public static class PluginFields
{
    /// <summary>Kong 3.9 OSS's HTTP-subsystem protocols, sorted (kong/constants.lua:77-86, typedefs.lua:466-472).</summary>
    public static readonly string[] HttpProtocols = ["grpc", "grpcs", "http", "https"];

    /// <summary>typedefs.protocols (typedefs.lua:474-480): any protocol, HTTP ones by default; the plugins entity's own field, and every plugin's that does not narrow it.</summary>
    public static Field AnyProtocols { get; } = new("protocols", FieldType.Set)
    {
        Required = true,
        Default = new JsonArray([.. HttpProtocols.Select(p => (JsonNode)p)]),
        Elements = Typedefs.Protocol("protocol"),
    };

    /// <summary>typedefs.protocols_http (typedefs.lua:482-488): HTTP protocols only.</summary>
    public static Field HttpOnly { get; } = AnyProtocols with
    {
        Elements = new Field("protocol", FieldType.String).With(Validators.OneOf(HttpProtocols)),
    };

    /// <summary>A protocols set limited to the given protocols (a plugin's own <c>one_of</c>).</summary>
    public static Field ProtocolsOf(string[] allowed, string[] defaults) => AnyProtocols with
    {
        Default = new JsonArray([.. defaults.Select(p => (JsonNode)p)]),
        Elements = new Field("protocol", FieldType.String).With(Validators.OneOf(allowed)),
    };

    public static Field Config(params Field[] fields) => new("config", FieldType.Record) { Fields = fields };

    /// <summary>A record nested in a config; Kong makes records required unless they say otherwise.</summary>
    public static Field Record(string name, params Field[] fields) => new(name, FieldType.Record) { Fields = fields };

    public static Field Bool(string name, bool @default, bool required = true) => Typedefs.Boolean(name, @default, required);

    public static Field Text(string name, string? @default = null, bool required = false) =>
        new(name, FieldType.String) { Default = @default is null ? null : JsonValue.Create(@default), Required = required };

    public static Field Number(string name, double? @default = null, bool required = false) =>
        new(name, FieldType.Number) { Default = @default is null ? null : JsonValue.Create(@default.Value), Required = required };

    public static Field Integer(string name, long? @default = null, bool required = false) =>
        new(name, FieldType.Integer) { Default = @default is null ? null : JsonValue.Create(@default.Value), Required = required };

    public static Field Strings(string name, FieldType type = FieldType.Array, params string[] defaults) => new(name, type)
    {
        Elements = new Field("item", FieldType.String),
        Default = defaults.Length == 0 ? null : new JsonArray([.. defaults.Select(d => (JsonNode)d)]),
    };

    /// <summary>typedefs.header_name (typedefs.lua:345-349, kong/tools/http.lua:271-282).</summary>
    public static Field HeaderName(string name) => Typedefs.HeaderName(name);

    /// <summary>typedefs.timeout (typedefs.lua:352-356): 0 to 2^31-2 milliseconds.</summary>
    public static Field Timeout(string name, long @default) =>
        new Field(name, FieldType.Integer) { Default = @default }.With(Validators.Between(0, 2147483646));

    /// <summary>typedefs.url (typedefs.lua:205-221, 331-335): a URL with a scheme and a host.</summary>
    public static Field Url(string name, string? @default = null, bool required = false) => Text(name, @default, required).With(Typedefs.Url);

    /// <summary>typedefs.hosts (typedefs.lua:575-592): an array of host names, each with at most one wildcard label.</summary>
    public static Field Hosts(string name) => new(name, FieldType.Array) { Elements = new Field("host", FieldType.String).With(Typedefs.HostWithWildcards) };

    /// <summary>typedefs.ttl (typedefs.lua:914-918): 0 to DAO_MAX_TTL (1e8, kong/constants.lua:205) seconds.</summary>
    public static Field Ttl(string name, double? @default = null, bool required = false) => Number(name, @default, required).With(Validators.Between(0, 1e8));

    /// <summary>typedefs.lua_code (typedefs.lua:900-905): a map of non-empty names to non-empty Lua expressions.</summary>
    public static Field LuaCode(string name) => new(name, FieldType.Map)
    {
        Keys = new Field("key", FieldType.String),
        Elements = new Field("value", FieldType.String),
    };

    /// <summary>typedefs.sni (typedefs.lua:157-173, 422-426): a host name, not an IP, without a port.</summary>
    public static Field Sni(string name) => new Field(name, FieldType.String).With(value =>
    {
        var host = value.GetValue<string>();
        return HostNames.Parse(host) switch
        {
            null => $"invalid value: {host}",
            { Kind: not HostKind.Name } => "must not be an IP",
            { Port: not null } => "must not have a port",
            _ => null,
        };
    });
}
