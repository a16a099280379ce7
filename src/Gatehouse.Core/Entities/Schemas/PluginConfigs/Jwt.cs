using System.Text.Json.Nodes;
using static Gatehouse.Core.Entities.EntityChecks;
using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;
using static Gatehouse.Core.Entities.Validators;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>jwt (kong/plugins/jwt/schema.lua:4-60 at 3.9.3): a maximum expiration needs the exp claim verified (53-58).</summary>
public static class Jwt
{
    public static PluginSchema Schema { get; } = new("jwt", Config(
        Strings("uri_param_names", FieldType.Set, "jwt"),
        Strings("cookie_names", FieldType.Set) with { Default = new JsonArray() },
        Text("key_claim_name", "iss"),
        Bool("secret_is_base64", false),
        new Field("claims_to_verify", FieldType.Set) { Elements = new Field("claim", FieldType.String).With(OneOf("exp", "nbf")) },
        Text("anonymous"),
        Bool("run_on_preflight", true),
        Number("maximum_expiration", 0).With(Between(0, 31536000)),
        Strings("header_names", FieldType.Set, "authorization"),
        Text("realm")))
    {
        NoConsumer = true,
        Protocols = HttpOnly,
        Checks = [Conditional("config.maximum_expiration", Greater(0), "config.claims_to_verify", Contains("exp"))],
    };
}
