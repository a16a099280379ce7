using System.Security.Cryptography;
using System.Text.Json.Nodes;
using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;
using static Gatehouse.Core.Entities.Validators;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>
/// session (kong/plugins/session/schema.lua:63-285 at 3.9.3), with the <c>cookie_*</c> shorthands
/// of the older session library (216-281), which win over the fields they write. Kong computes
/// the <c>secret</c> default once, when the schema loads (53-60, 77), so one Kong node gives
/// every session plugin it creates the same secret; Gatehouse makes a fresh one for each plugin.
/// </summary>
public static class Session
{
    private static readonly string[] s_headers = ["id", "audience", "subject", "timeout", "idling-timeout", "rolling-timeout", "absolute-timeout"];

    /// <summary>The <c>headers</c> set (24-39), shared by response_headers and request_headers.</summary>
    private static Field Headers(string name) => new(name, FieldType.Set) { Elements = new Field("header", FieldType.String).With(OneOf(s_headers)) };

    public static PluginSchema Schema { get; } = new("session", Config(
        Text("secret") with { Referenceable = true, Generate = RandomSecret },
        Text("storage", "cookie").With(OneOf("cookie", "kong")),
        Text("audience", "default"),
        Number("idling_timeout", 900),
        Number("rolling_timeout", 3600),
        Number("absolute_timeout", 86400),
        Number("stale_ttl", 10),
        Text("cookie_name", "session"),
        Text("cookie_path", "/"),
        Text("cookie_domain"),
        Text("cookie_same_site", "Strict").With(OneOf("Strict", "Lax", "None", "Default")),
        Bool("cookie_http_only", true, required: false),
        Bool("cookie_secure", true, required: false),
        Bool("remember", false, required: false),
        Text("remember_cookie_name", "remember"),
        Number("remember_rolling_timeout", 604800),
        Number("remember_absolute_timeout", 2592000),
        Headers("response_headers"),
        Headers("request_headers"),
        Bool("read_body_for_logout", false, required: false),
        new Field("logout_methods", FieldType.Set)
        {
            Default = new JsonArray("POST", "DELETE"),
            Elements = new Field("method", FieldType.String).With(OneOf("GET", "POST", "DELETE")),
        },
        Text("logout_query_arg", "session_logout"),
        Text("logout_post_arg", "session_logout")) with
    {
        Shorthands =
        [
            Writes("cookie_lifetime", FieldType.Number, "rolling_timeout"),
            // A null idle time is no idle timeout (230-232).
            Writes("cookie_idletime", FieldType.Number, "idling_timeout") with { ExpandNull = () => new JsonObject { ["idling_timeout"] = 0 } },
            // The session library computes renewal itself now: the value is dropped (240-243).
            new ShorthandField(new Field("cookie_renew", FieldType.Number), _ => new JsonObject()) { ExpandNull = () => new JsonObject() },
            Writes("cookie_discard", FieldType.Number, "stale_ttl"),
            Writes("cookie_samesite", FieldType.String, "cookie_same_site", value => value.GetValue<string>() == "off" ? "Lax" : value.DeepClone()),
            Writes("cookie_httponly", FieldType.Boolean, "cookie_http_only"),
            Writes("cookie_persistent", FieldType.Boolean, "remember"),
        ],
    })
    {
        NoConsumer = true,
    };

    /// <summary>A shorthand whose func writes its value (mapped, if need be) to <paramref name="target"/>, a null included.</summary>
    private static ShorthandField Writes(string name, FieldType type, string target, Func<JsonNode, JsonNode>? map = null) =>
        new(new Field(name, type), value => new JsonObject { [target] = map?.Invoke(value) ?? value.DeepClone() })
        {
            ExpandNull = () => new JsonObject { [target] = null },
        };

    /// <summary>
    /// The schema's random_string (53-60): 32 random bytes in base64, '/' replaced by a random
    /// digit, '+' by an upper-case letter and '=' by a lower-case one, 44 characters.
    /// </summary>
    private static JsonNode RandomSecret()
    {
        var text = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).ToCharArray();
        for (var i = 0; i < text.Length; i++)
        {
            text[i] = text[i] switch
            {
                '/' => (char)RandomNumberGenerator.GetInt32('0', '9' + 1),
                '+' => (char)RandomNumberGenerator.GetInt32('A', 'Z' + 1),
                '=' => (char)RandomNumberGenerator.GetInt32('a', 'z' + 1),
                var c => c,
            };
        }
        return JsonValue.Create(new string(text));
    }
}
