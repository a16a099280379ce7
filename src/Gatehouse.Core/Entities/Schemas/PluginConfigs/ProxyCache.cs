using System.Text.Json.Nodes;
using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;
using static Gatehouse.Core.Entities.Validators;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>
/// proxy-cache (kong/plugins/proxy-cache/schema.lua:17-111 at 3.9.3; strategies
/// kong/plugins/proxy-cache/strategies/init.lua:7-9). Its custom_entity_check (93-110) asks
/// whether the node has the shared dict <c>memory.dictionary_name</c> names, a fact of the Kong
/// node, not of the config, so Gatehouse has nothing to check there.
/// </summary>
public static class ProxyCache
{
    private static readonly string[] s_methods = ["HEAD", "GET", "POST", "PATCH", "PUT"];

    public static PluginSchema Schema { get; } = new("proxy-cache", Config(
        new Field("response_code", FieldType.Array)
        {
            Required = true,
            Default = new JsonArray(200, 301, 404),
            Elements = new Field("code", FieldType.Integer).With(Between(100, 900)),
        }.With(LengthMin(1)),
        new Field("request_method", FieldType.Array)
        {
            Required = true,
            Default = new JsonArray("GET", "HEAD"),
            Elements = new Field("method", FieldType.String).With(OneOf(s_methods)),
        },
        Strings("content_type", FieldType.Array, "text/plain", "application/json") with { Required = true },
        Integer("cache_ttl", 300).With(GreaterThan(0)),
        Text("strategy", required: true).With(OneOf("memory")),
        Bool("cache_control", false),
        Bool("ignore_uri_case", false, required: false),
        Integer("storage_ttl"),
        Record("memory", Text("dictionary_name", "kong_db_cache", required: true)),
        Strings("vary_query_params"),
        Strings("vary_headers"),
        Record("response_headers",
            Bool("age", true, required: false),
            Bool("X-Cache-Status", true, required: false),
            Bool("X-Cache-Key", true, required: false))));
}
