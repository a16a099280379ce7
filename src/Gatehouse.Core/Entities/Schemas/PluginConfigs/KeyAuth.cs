using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>key-auth (kong/plugins/key-auth/schema.lua:4-27 at 3.9.3).</summary>
public static class KeyAuth
{
    public static PluginSchema Schema { get; } = new("key-auth", Config(
        new Field("key_names", FieldType.Array) { Required = true, Elements = HeaderName("key_name"), Default = new System.Text.Json.Nodes.JsonArray("apikey") },
        Bool("hide_credentials", false),
        Text("anonymous"),
        Bool("key_in_header", true),
        Bool("key_in_query", true),
        Bool("key_in_body", false),
        Bool("run_on_preflight", true),
        Text("realm")))
    {
        NoConsumer = true,
        Protocols = HttpOnly,
    };
}
