using System.Text.Json.Nodes;
using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;
using static Gatehouse.Core.Entities.Validators;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>hmac-auth (kong/plugins/hmac-auth/schema.lua:4-37 at 3.9.3).</summary>
public static class HmacAuth
{
    private static readonly string[] s_algorithms = ["hmac-sha1", "hmac-sha256", "hmac-sha384", "hmac-sha512"];

    public static PluginSchema Schema { get; } = new("hmac-auth", Config(
        Bool("hide_credentials", false),
        Number("clock_skew", 300).With(GreaterThan(0)),
        Text("anonymous"),
        Bool("validate_request_body", false),
        Strings("enforce_headers") with { Default = new JsonArray() },
        Strings("algorithms", FieldType.Array, s_algorithms) with { Elements = new Field("algorithm", FieldType.String).With(OneOf(s_algorithms)) },
        Text("realm")))
    {
        NoConsumer = true,
        Protocols = HttpOnly,
    };
}
