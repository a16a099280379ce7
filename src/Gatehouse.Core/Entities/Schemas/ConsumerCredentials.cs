using System.Text.Json.Nodes;
using static Gatehouse.Core.Entities.EntityChecks;
using static Gatehouse.Core.Entities.Typedefs;
using static Gatehouse.Core.Entities.Validators;

namespace Gatehouse.Core.Entities.Schemas;

/// <summary>
/// The credentials of Kong's authentication plugins: each one belongs to a consumer and goes with
/// it (<c>on_delete = "cascade"</c>). Served as Konnect serves them: written under their consumer
/// (<c>/consumers/{c}/key-auth</c>, Kong's <c>admin_api_nested_name</c>), read also flat
/// (<c>/key-auths</c>, Kong's <c>admin_api_name</c>), and written in declarative files under
/// their DAO's name (<c>keyauth_credentials</c>), nested in the consumer as decK writes them.
/// Citations are to Kong 3.9.3, <c>kong/plugins/&lt;name&gt;/daos.lua</c>.
/// </summary>
public static class ConsumerCredentials
{
    /// <summary>Every credential type, in the order decK writes them in a consumer.</summary>
    public static IReadOnlyList<EntitySchema> All => [KeyAuth, BasicAuth, HmacAuth, Jwt, Acl, MtlsAuth];

    /// <summary>
    /// The plugin whose DAO each credential section is, by its declarative key: a data plane knows
    /// the section only when that plugin is loaded (kong/db/schema/others/declarative_config.lua:924-934).
    /// </summary>
    public static IReadOnlyDictionary<string, string> PluginOf { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["keyauth_credentials"] = "key-auth",
        ["basicauth_credentials"] = "basic-auth",
        ["hmacauth_credentials"] = "hmac-auth",
        ["jwt_secrets"] = "jwt",
        ["acls"] = "acl",
        ["mtls_auth_credentials"] = "mtls-auth",
    };

    /// <summary>key-auth daos.lua:4-20: a key, unique, generated when not given; Kong's entity ttl.</summary>
    public static EntitySchema KeyAuth { get; } = Credential("key-auths", "key-auth", "keyauth_credentials",
    [
        new Field("key", FieldType.String) { Unique = true, Generate = AutoString, Secret = true },
        Tags,
        new Field(TimeToLive.Field, FieldType.Integer),
    ]) with
    {
        EndpointKey = "key",
        Ttl = true,
    };

    /// <summary>basic-auth daos.lua:5-30: the password is stored hashed with the consumer's id (crypto.lua:24-29).</summary>
    public static EntitySchema BasicAuth { get; } = Credential("basic-auths", "basic-auth", "basicauth_credentials",
    [
        new Field("username", FieldType.String) { Required = true, Unique = true },
        new Field("password", FieldType.String) { Required = true },
        Tags,
    ]) with
    {
        EndpointKey = "username",
        Transform = HashPassword,
        CheckTransformed = IsHashed,
    };

    /// <summary>hmac-auth daos.lua:5-22: a unique username, and a secret generated when not given.</summary>
    public static EntitySchema HmacAuth { get; } = Credential("hmac-auths", "hmac-auth", "hmacauth_credentials",
    [
        new Field("username", FieldType.String) { Required = true, Unique = true },
        new Field("secret", FieldType.String) { Generate = AutoString },
        Tags,
    ]) with
    {
        EndpointKey = "username",
    };

    /// <summary>The algorithms of jwt daos.lua:29-47.</summary>
    public static readonly string[] JwtAlgorithms =
        ["HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "EdDSA"];

    /// <summary>The algorithms that verify with <c>rsa_public_key</c>, which is then required and must load (jwt daos.lua:50-68).</summary>
    public static readonly string[] JwtPublicKeyAlgorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "EdDSA"];

    /// <summary>jwt daos.lua:14-69: a key (the iss claim it matches) and a secret, both generated when not given.</summary>
    public static EntitySchema Jwt { get; } = Credential("jwts", "jwt", "jwt_secrets",
    [
        new Field("key", FieldType.String) { Unique = true, Generate = AutoString },
        new Field("secret", FieldType.String) { Generate = AutoString },
        new Field("rsa_public_key", FieldType.String),
        new Field("algorithm", FieldType.String) { Default = "HS256" }.With(OneOf(JwtAlgorithms)),
        Tags,
    ]) with
    {
        EndpointKey = "key",
        Checks = [Conditional("algorithm", Is(JwtPublicKeyAlgorithms), "rsa_public_key", LoadableKey)],
    };

    /// <summary>
    /// acl daos.lua:3-17: a group, once per consumer (the cache key). Kong's acl api.lua:12-59
    /// also finds one by its group under its consumer: <c>/consumers/{c}/acls/{group}</c>.
    /// </summary>
    public static EntitySchema Acl { get; } = Credential("acls", "acls", "acls",
    [
        new Field("group", FieldType.String) { Required = true },
        Tags,
    ]) with
    {
        EndpointKey = "group",
        CacheKey = ["consumer", "group"],
    };

    /// <summary>
    /// mtls-auth (Kong Enterprise; in OSS only at 9cda91327d kong/plugins/mtls-auth/daos.lua:3-17,
    /// which Konnect's MTLSAuth follows, with tags): a subject name, optionally tied to the CA
    /// certificate that must have issued it, once per (subject_name, ca_certificate).
    /// </summary>
    public static EntitySchema MtlsAuth { get; } = Credential("mtls-auths", "mtls-auth", "mtls_auth_credentials",
    [
        new Field("subject_name", FieldType.String) { Required = true },
        // Konnect's spec types ca_certificate as a non-nullable object: left out when there is none.
        Foreign("ca_certificate", "ca_certificates", OnDelete.Cascade) with { OmitWhenNull = true },
        Tags,
    ], consumerRequired: false) with
    {
        CacheKey = ["subject_name", "ca_certificate"],
    };

    /// <summary>Kong's <c>auto = true</c> string: generated when an insert or upsert leaves it out.</summary>
    private static JsonNode AutoString() => RandomStrings.Kong();

    /// <summary>What every credential shares: id, created_at (no updated_at), its consumer, and how it is served.</summary>
    private static EntitySchema Credential(string name, string nestedName, string declarativeKey, Field[] fields, bool consumerRequired = true) =>
        new(name, [Id, CreatedAt, Foreign("consumer", "consumers", OnDelete.Cascade, required: consumerRequired), .. fields])
        {
            // Kong's message names, as kong/db/errors.lua:533-538 singularizes the DAO's name.
            Singular = declarativeKey[..^1],
            DeclarativeKey = declarativeKey,
            NestedName = nestedName,
            NestedOnlyUnder = Consumers.Schema.Name,
            Patchable = false,
        };

    /// <summary>crypto.lua:24-29, applied as basic-auth's on_write transformation (daos.lua:21-29).</summary>
    private static void HashPassword(JsonObject credential)
    {
        if (Text(credential["password"]) is { } password && credential["consumer"]?["id"] is { } consumer)
        {
            credential["password"] = BasicAuthPasswords.Hash(consumer.GetValue<string>(), password);
        }
    }

    /// <summary>
    /// A password given as hashed already must be what crypto.lua:28 makes, 40 lowercase hex digits:
    /// Kong compares the hash of what a client presents with it, so anything else never matches,
    /// and would be a password kept in plain text.
    /// </summary>
    private static IEnumerable<FieldError> IsHashed(JsonObject credential) =>
        Text(credential["password"]) is { } password && !(password.Length == 40 && password.All(char.IsAsciiHexDigitLower))
            ? [new FieldError("password", "expected a hashed password, as Kong stores it (sha1 of the password and the consumer's id: 40 lowercase hex digits)")]
            : [];

    /// <summary>jwt daos.lua:62-66: required, and a key OpenSSL loads (validate_ssl_key, 4-11).</summary>
    private static string? LoadableKey(JsonNode? value) => Required(value) ?? (Text(value) is { } pem && !Pem.IsKey(pem) ? "invalid key" : null);
}
