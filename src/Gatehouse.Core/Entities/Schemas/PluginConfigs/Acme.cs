using System.Text.Json.Nodes;
using static Gatehouse.Core.Entities.EntityChecks;
using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;
using static Gatehouse.Core.Entities.Validators;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>
/// acme (kong/plugins/acme/schema.lua:132-307 at 3.9.3), a global plugin only (135-139). Storage
/// settings per backend (24-125), Redis with ACME's extra options and deprecated names (39-101),
/// the Let's Encrypt terms-of-service rule (266-279), Redis host and port for the redis storage
/// (280-287), and the storage rule of a control plane (288-303): Gatehouse is one, so "shm" is
/// refused as Kong's control plane refuses it, and "kong" is kept, as Kong keeps it when the
/// control plane has a database. <c>shm_name</c>'s validator (30) asks whether the node has that
/// shared dict, a fact of the Kong node, not of the config: not applied.
/// </summary>
public static class Acme
{
    /// <summary>kong/plugins/acme/reserved_words.lua:1-5: none is a prefix of another, so their order does not matter.</summary>
    private static readonly string[] s_reservedWords = ["kong_acme:renew_config:", "kong_acme:renew_last_run", "kong_acme:cert_key:"];

    private static Field RedisStorage { get; } = Record("redis",
        [
            .. Redis.Config.Fields!,
            Record("extra_options",
                Text("namespace", "", required: true) with { EmptyAllowed = true, Validators = [NotReserved] },
                Number("scan_count", 10)),
        ]) with
    {
        Shorthands =
        [
            ShorthandField.Deprecated(new Field("auth", FieldType.String) { EmptyAllowed = true }, "password"),
            ShorthandField.Deprecated(new Field("ssl_server_name", FieldType.String), "server_name"),
            ShorthandField.Deprecated(new Field("namespace", FieldType.String) { EmptyAllowed = true }, "extra_options.namespace"),
            ShorthandField.Deprecated(new Field("scan_count", FieldType.Integer), "extra_options.scan_count"),
        ],
    };

    /// <summary>CONSUL_STORAGE_SCHEMA (103-110); VAULT_STORAGE_SCHEMA (112-125) begins the same way.</summary>
    private static Field[] KeyValueStore =>
    [
        Bool("https", false, required: false),
        Typedefs.Host("host"),
        Typedefs.Port("port"),
        Text("kv_path"),
        Number("timeout"),
        Text("token") with { Referenceable = true },
    ];

    private static Field StorageConfig { get; } = Record("storage_config",
        Record("shm", Text("shm_name", "kong")),
        Record("kong"),
        RedisStorage,
        Record("consul", KeyValueStore),
        Record("vault",
            [
                .. KeyValueStore,
                Bool("tls_verify", true, required: false),
                Text("tls_server_name"),
                Text("auth_method", "token").With(OneOf("token", "kubernetes")),
                Text("auth_path"),
                Text("auth_role"),
                Text("jwt_path"),
            ]));

    public static PluginSchema Schema { get; } = new("acme", Config(
        Text("account_email", required: true) with { Referenceable = true, Validators = [LuaMatch("%w*%p*@+%w*%.?%w*")] },
        Record("account_key", Text("key_id", required: true), Text("key_set")) with { Optional = true },
        Url("api_uri", "https://acme-v02.api.letsencrypt.org/directory"),
        Bool("tos_accepted", false, required: false),
        Text("eab_kid") with { Referenceable = true },
        Text("eab_hmac_key") with { Referenceable = true },
        Text("cert_type", "rsa").With(OneOf("rsa", "ecc")),
        Number("rsa_key_size", 4096).With(OneOfIntegers(2048, 3072, 4096)),
        Number("renew_threshold_days", 14),
        Hosts("domains"),
        Bool("allow_any_domain", false, required: false),
        Number("fail_backoff_minutes", 5),
        Text("storage", "shm").With(OneOf("kong", "shm", "redis", "consul", "vault")),
        StorageConfig,
        Text("preferred_chain"),
        Bool("enable_ipv4_common_name", true, required: false)))
    {
        NoConsumer = true,
        NoService = true,
        NoRoute = true,
        Protocols = HttpOnly,
        Checks =
        [
            // Without "/directory": the default api_uri does not match (268-274).
            Conditional("config.api_uri", Is("https://acme-v02.api.letsencrypt.org", "https://acme-staging-v02.api.letsencrypt.org"),
                "config.tos_accepted", MustBe(true), "terms of service must be accepted, see https://letsencrypt.org/repository/"),
            Conditional("config.storage", Is("redis"), "config.storage_config.redis.host", Required),
            Conditional("config.storage", Is("redis"), "config.storage_config.redis.port", Required),
            Custom(["config.storage"], plugin => Text(Get(plugin, "config.storage")) == "shm" ? "\"shm\" storage can't be used in Hybrid mode" : null),
        ],
    };

    /// <summary>validate_namespace (12-22).</summary>
    private static string? NotReserved(JsonNode value)
    {
        var name = value.GetValue<string>();
        return s_reservedWords.FirstOrDefault(word => name.StartsWith(word, StringComparison.Ordinal)) is { } reserved
            ? $"namespace can't be prefixed with reserved word: {reserved}"
            : null;
    }
}
