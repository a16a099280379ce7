using System.Text.Json.Nodes;
using static Gatehouse.Core.Entities.EntityChecks;
using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;
using static Gatehouse.Core.Entities.Validators;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>
/// oauth2 (kong/plugins/oauth2/schema.lua:15-53 at 3.9.3): at least one grant flow (3-13, 41),
/// and scopes given when a scope is mandatory (42-49). <c>provision_key</c> is an <c>auto</c>
/// string (25): filled with Kong's random string on insert and upsert when left out (si:1885-1895).
/// Its <c>unique</c> is not enforced, as Kong's DAO checks only top-level unique fields.
/// </summary>
public static class OAuth2
{
    private static readonly string[] s_flows = ["enable_authorization_code", "enable_implicit_grant", "enable_client_credentials", "enable_password_grant"];

    public static PluginSchema Schema { get; } = new("oauth2", Config(
        Strings("scopes"),
        Bool("mandatory_scope", false),
        Text("provision_key", required: true) with { Generate = () => JsonValue.Create(RandomStrings.Kong()) },
        Number("token_expiration", 7200, required: true),
        Bool("enable_authorization_code", false),
        Bool("enable_implicit_grant", false),
        Bool("enable_client_credentials", false),
        Bool("enable_password_grant", false),
        Bool("hide_credentials", false),
        Bool("accept_http_if_already_terminated", false),
        Text("anonymous"),
        Bool("global_credentials", false),
        Text("auth_header_name", "authorization"),
        Ttl("refresh_token_ttl", 1209600, required: true),
        Bool("reuse_refresh_token", false),
        Text("pkce", "lax").With(OneOf("none", "lax", "strict")),
        Text("realm")) with
    {
        Validators = [AtLeastOneFlow],
        RecordChecks = [Conditional("mandatory_scope", IsTrue, "scopes", NotNull)],
    })
    {
        NoConsumer = true,
        Protocols = HttpOnly,
    };

    /// <summary>validate_flows (3-13).</summary>
    private static string? AtLeastOneFlow(JsonNode config) =>
        s_flows.Any(flow => IsTrue(config[flow]))
            ? null
            : "at least one of these fields must be true: enable_authorization_code, enable_implicit_grant, enable_client_credentials, enable_password_grant";
}
