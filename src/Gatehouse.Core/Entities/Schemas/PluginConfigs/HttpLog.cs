using System.Text.Json.Nodes;
using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;
using static Gatehouse.Core.Entities.Validators;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>
/// http-log (kong/plugins/http-log/schema.lua:5-78 at 3.9.3): the endpoint (12, referenceable),
/// method and content type (13-14), timeouts (15-16), the deprecated batching fields that the
/// queue replaced (17-37, no defaults), extra headers (38-59), the queue (60, QueueRecord) and
/// the rule that user info in the endpoint excludes an Authorization header (63-74). Any protocol (8).
/// </summary>
public static class HttpLog
{
    public static PluginSchema Schema { get; } = new("http-log", Config(
        Url("http_endpoint") with { Required = true, Referenceable = true },
        Text("method", "POST").With(OneOf("POST", "PUT", "PATCH")),
        Text("content_type", "application/json").With(OneOf("application/json", "application/json; charset=utf-8")),
        Number("timeout", 10000),
        Number("keepalive", 60000),
        Integer("retry_count"),
        Integer("queue_size"),
        Number("flush_timeout"),
        new Field("headers", FieldType.Map)
        {
            Keys = HeaderName("header").With(
                LuaMatchNone("^[Hh][Oo][Ss][Tt]$", "cannot contain 'Host' header"),
                // Kong's pattern (schema.lua:46) has [nn] for the 'n' of "Length": an upper-case N there slips through, on Kong too.
                LuaMatchNone("^[Cc][Oo][Nn][Tt][Ee][Nn][Tt]%-[Ll][Ee][nn][Gg][Tt][Hh]$", "cannot contain 'Content-Length' header"),
                LuaMatchNone("^[Cc][Oo][Nn][Tt][Ee][Nn][Tt]%-[Tt][Yy][Pp][Ee]$", "cannot contain 'Content-Type' header")),
            Elements = Text("value") with { Referenceable = true },
        },
        QueueRecord.Config,
        LuaCode("custom_fields_by_lua")) with
    {
        Validators = [NoAuthorizationWithUserInfo],
    });

    /// <summary>schema.lua:63-74: user info in the URL is Basic authentication, so a second Authorization header is refused.</summary>
    private static string? NoAuthorizationWithUserInfo(JsonNode value)
    {
        var config = value.AsObject();
        var endpoint = EntityChecks.Text(config["http_endpoint"]);
        return endpoint is not null && SocketUrl.Parse(endpoint).UserInfo is not null && config["headers"] is JsonObject headers
            && headers.Any(h => h.Key.Equals("authorization", StringComparison.OrdinalIgnoreCase))
            ? "specifying both an 'Authorization' header and user info in 'http_endpoint' is not allowed"
            : null;
    }
}
