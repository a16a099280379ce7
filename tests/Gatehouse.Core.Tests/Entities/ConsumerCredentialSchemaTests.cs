using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;
using static Gatehouse.Core.Tests.Entities.EntityAssert;

namespace Gatehouse.Core.Tests.Entities;

/// <summary>The credentials of kong/plugins/*/daos.lua (Kong 3.9.3) through Kong's write pipeline.</summary>
public sealed class ConsumerCredentialSchemaTests
{
    private const string Consumer = "00000000-0000-4000-8000-000000000001";
    private const string OfConsumer = $$"""{"id":"{{Consumer}}"}""";

    // RFC 8410 §10.1 and §10.3: an Ed25519 public and private key, which .NET does not load itself.
    private const string Ed25519Public = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n";
    private const string Ed25519Private = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n-----END PRIVATE KEY-----\n";

    private static JsonObject Prepare(EntitySchema schema, string json, WriteOptions options)
    {
        var (entity, errors) = new EntityProcessor(Clock).Prepare(schema, JsonNode.Parse(json)!.AsObject(), WriteMode.Insert, options: options);
        Assert.True(errors.Count == 0, string.Join("; ", errors));
        return entity!;
    }

    [Fact]
    public void Every_credential_belongs_to_a_consumer_and_shows_Kongs_fields_without_updated_at()
    {
        var key = Valid(ConsumerCredentials.KeyAuth, $$"""{"consumer":{{OfConsumer}}}""");
        Assert.Equal(["id", "created_at", "consumer", "key", "tags", "ttl"], key.Select(p => p.Key));
        Assert.Equal(Consumer, key["consumer"]!["id"]!.GetValue<string>());
        Assert.Equal(Clock.GetUtcNow().ToUnixTimeSeconds(), key["created_at"]!.GetValue<long>());

        foreach (var schema in ConsumerCredentials.All.Where(s => s != ConsumerCredentials.MtlsAuth))
        {
            HasError(Invalid(schema, "{}"), "consumer", "required field missing");
        }
        HasError(Invalid(ConsumerCredentials.KeyAuth, """{"consumer":{"id":"nope"}}"""), "consumer.id", "expected a valid UUID");
        HasError(Invalid(ConsumerCredentials.KeyAuth, $$"""{"consumer":{{OfConsumer}},"updated_at":1}"""), "updated_at", "unknown field");
    }

    [Fact]
    public void Key_auth_generates_a_key_as_Kong_does_and_keeps_one_given()
    {
        var generated = Valid(ConsumerCredentials.KeyAuth, $$"""{"consumer":{{OfConsumer}}}""")["key"]!.GetValue<string>();
        Assert.Matches("^[A-Za-z0-9]{32}$", generated);
        Assert.NotEqual(generated, Valid(ConsumerCredentials.KeyAuth, $$"""{"consumer":{{OfConsumer}}}""")["key"]!.GetValue<string>());
        Assert.Equal("my-key", Valid(ConsumerCredentials.KeyAuth, $$"""{"consumer":{{OfConsumer}},"key":"my-key"}""")["key"]!.GetValue<string>());
        HasError(Invalid(ConsumerCredentials.KeyAuth, $$"""{"consumer":{{OfConsumer}},"key":""}"""), "key", "length must be at least 1");
        HasError(Invalid(ConsumerCredentials.KeyAuth, $$"""{"consumer":{{OfConsumer}},"key":5}"""), "key", "expected a string");
        Assert.True(ConsumerCredentials.KeyAuth.Find("key")!.Unique);
    }

    [Fact]
    public void Key_auth_ttl_is_seconds_on_the_Admin_API_and_the_expiry_in_a_declarative_file()
    {
        var now = Clock.GetUtcNow().ToUnixTimeSeconds();
        var viaApi = Prepare(ConsumerCredentials.KeyAuth, $$"""{"consumer":{{OfConsumer}},"ttl":3600}""", WriteOptions.AdminApi);
        Assert.Equal(now + 3600, viaApi["ttl"]!.GetValue<long>());
        // postgres/init.lua:360-365: counted from created_at, which a client may give.
        var fromCreation = Prepare(ConsumerCredentials.KeyAuth, $$"""{"consumer":{{OfConsumer}},"ttl":60,"created_at":1000}""", WriteOptions.AdminApi);
        Assert.Equal(1060, fromCreation["ttl"]!.GetValue<long>());
        Assert.Null(Prepare(ConsumerCredentials.KeyAuth, $$"""{"consumer":{{OfConsumer}},"ttl":0}""", WriteOptions.AdminApi)["ttl"]);
        Assert.Equal(2_000_000_000, Prepare(ConsumerCredentials.KeyAuth, $$"""{"consumer":{{OfConsumer}},"ttl":2000000000}""", WriteOptions.Declarative)["ttl"]!.GetValue<long>());

        foreach (var ttl in new[] { "-1", "100000001", "1.5", "\"60\"" })
        {
            var (entity, errors) = new EntityProcessor(Clock).Prepare(ConsumerCredentials.KeyAuth,
                JsonNode.Parse($$"""{"consumer":{{OfConsumer}},"ttl":{{ttl}}}""")!.AsObject(), WriteMode.Insert, options: WriteOptions.AdminApi);
            Assert.Null(entity);
            HasError(errors, "ttl", "must be an integer between 0 and 100000000");
            Assert.Single(errors);
        }

        // Read back: the seconds left, and nothing once it has expired.
        var shown = TimeToLive.Present(ConsumerCredentials.KeyAuth, viaApi, Clock.GetUtcNow().AddSeconds(600))!;
        Assert.Equal(3000, shown["ttl"]!.GetValue<long>());
        Assert.Equal(now + 3600, viaApi["ttl"]!.GetValue<long>());
        Assert.Null(TimeToLive.Present(ConsumerCredentials.KeyAuth, viaApi, Clock.GetUtcNow().AddSeconds(3600)));
        Assert.True(TimeToLive.IsExpired(ConsumerCredentials.KeyAuth, viaApi, Clock.GetUtcNow().AddHours(2)));
        Assert.False(TimeToLive.IsExpired(ConsumerCredentials.BasicAuth, viaApi, Clock.GetUtcNow().AddHours(2)));

        // A write answers what it wrote, though the ttl ran out meanwhile (a ttl of 1 s crosses into the next second): 0 left, not gone.
        Assert.Equal(600, TimeToLive.Answered(ConsumerCredentials.KeyAuth, viaApi, Clock.GetUtcNow().AddSeconds(3000))["ttl"]!.GetValue<long>());
        Assert.Equal(0, TimeToLive.Answered(ConsumerCredentials.KeyAuth, viaApi, Clock.GetUtcNow().AddSeconds(3601))["ttl"]!.GetValue<long>());
        Assert.Equal(now + 3600, viaApi["ttl"]!.GetValue<long>());
    }

    [Fact]
    public void Basic_auth_stores_sha1_of_the_password_and_consumer_id_unless_told_it_is_hashed()
    {
        var stored = Valid(ConsumerCredentials.BasicAuth, $$"""{"consumer":{{OfConsumer}},"username":"alice","password":"s3cr3t"}""");
        // sha1("s3cr3t" .. "00000000-0000-4000-8000-000000000001"), computed apart from the code under test.
        Assert.Equal("6ee6a88d494e9812aa844187f9125baa8d938ff2", stored["password"]!.GetValue<string>());
        Assert.Equal(stored["password"]!.GetValue<string>(), BasicAuthPasswords.Hash(Consumer, "s3cr3t"));
        Assert.NotEqual(BasicAuthPasswords.Hash("00000000-0000-4000-8000-000000000002", "s3cr3t"), stored["password"]!.GetValue<string>());

        var kept = Prepare(ConsumerCredentials.BasicAuth, $$"""{"consumer":{{OfConsumer}},"username":"alice","password":"6ee6a88d494e9812aa844187f9125baa8d938ff2"}""",
            WriteOptions.AdminApi with { Transform = false });
        Assert.Equal("6ee6a88d494e9812aa844187f9125baa8d938ff2", kept["password"]!.GetValue<string>());
        // What is said to be hashed must be Kong's hash, or it would be a password in plain text that never matches.
        foreach (var notHashed in new[] { "s3cr3t", "6EE6A88D494E9812AA844187F9125BAA8D938FF2", "6ee6a88d494e9812aa844187f9125baa8d938ff" })
        {
            var (entity, errors) = new EntityProcessor(Clock).Prepare(ConsumerCredentials.BasicAuth,
                JsonNode.Parse($$"""{"consumer":{{OfConsumer}},"username":"alice","password":"{{notHashed}}"}""")!.AsObject(), WriteMode.Insert,
                options: WriteOptions.AdminApi with { Transform = false });
            Assert.Null(entity);
            HasError(errors, "password", "expected a hashed password, as Kong stores it (sha1 of the password and the consumer's id: 40 lowercase hex digits)");
        }

        HasError(Invalid(ConsumerCredentials.BasicAuth, $$"""{"consumer":{{OfConsumer}},"username":"alice"}"""), "password", "required field missing");
        HasError(Invalid(ConsumerCredentials.BasicAuth, $$"""{"consumer":{{OfConsumer}},"password":"x"}"""), "username", "required field missing");
        Assert.True(ConsumerCredentials.BasicAuth.Find("username")!.Unique);
    }

    [Fact]
    public void Hmac_auth_generates_its_secret_and_needs_a_unique_username()
    {
        var hmac = Valid(ConsumerCredentials.HmacAuth, $$"""{"consumer":{{OfConsumer}},"username":"alice"}""");
        Assert.Matches("^[A-Za-z0-9]{32}$", hmac["secret"]!.GetValue<string>());
        Assert.Equal("given", Valid(ConsumerCredentials.HmacAuth, $$"""{"consumer":{{OfConsumer}},"username":"a","secret":"given"}""")["secret"]!.GetValue<string>());
        HasError(Invalid(ConsumerCredentials.HmacAuth, $$"""{"consumer":{{OfConsumer}}}"""), "username", "required field missing");
        Assert.True(ConsumerCredentials.HmacAuth.Find("username")!.Unique);
    }

    [Fact]
    public void Jwt_defaults_to_HS256_with_a_generated_key_and_secret()
    {
        var jwt = Valid(ConsumerCredentials.Jwt, $$"""{"consumer":{{OfConsumer}}}""");
        Assert.Equal("HS256", jwt["algorithm"]!.GetValue<string>());
        Assert.Matches("^[A-Za-z0-9]{32}$", jwt["key"]!.GetValue<string>());
        Assert.Matches("^[A-Za-z0-9]{32}$", jwt["secret"]!.GetValue<string>());
        Assert.Null(jwt["rsa_public_key"]);
        Assert.True(ConsumerCredentials.Jwt.Find("key")!.Unique);
        HasError(Invalid(ConsumerCredentials.Jwt, $$"""{"consumer":{{OfConsumer}},"algorithm":"none"}"""), "algorithm",
            "expected one of: HS256, HS384, HS512, RS256, RS384, RS512, ES256, ES384, ES512, PS256, PS384, PS512, EdDSA");
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("RS512")]
    [InlineData("PS384")]
    [InlineData("EdDSA")]
    public void Jwt_algorithms_that_verify_with_a_public_key_need_one_that_loads(string algorithm)
    {
        var missing = Invalid(ConsumerCredentials.Jwt, $$"""{"consumer":{{OfConsumer}},"algorithm":"{{algorithm}}"}""");
        HasError(missing, "rsa_public_key", "required field missing");
        HasError(missing, null, "failed conditional validation given value of field 'algorithm'");
        var garbage = Invalid(ConsumerCredentials.Jwt, $$"""{"consumer":{{OfConsumer}},"algorithm":"{{algorithm}}","rsa_public_key":"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"}""");
        HasError(garbage, "rsa_public_key", "invalid key");

        using var rsa = RSA.Create(2048);
        var key = algorithm == "EdDSA" ? Ed25519Public : rsa.ExportSubjectPublicKeyInfoPem();
        var valid = Valid(ConsumerCredentials.Jwt, new JsonObject { ["consumer"] = JsonNode.Parse(OfConsumer), ["algorithm"] = algorithm, ["rsa_public_key"] = key }.ToJsonString());
        Assert.Equal(key, valid["rsa_public_key"]!.GetValue<string>());
    }

    [Fact]
    public void A_key_loads_as_OpenSSL_would_load_it()
    {
        using var rsa = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.True(Pem.IsKey(rsa.ExportSubjectPublicKeyInfoPem()));
        Assert.True(Pem.IsKey(rsa.ExportRSAPublicKeyPem()));
        Assert.True(Pem.IsKey(ec.ExportSubjectPublicKeyInfoPem()));
        Assert.True(Pem.IsKey(ec.ExportPkcs8PrivateKeyPem()));
        Assert.True(Pem.IsKey(Ed25519Public));
        Assert.True(Pem.IsKey(Ed25519Private));
        Assert.True(Pem.IsKey("-----BEGIN PUBLIC KEY-----\nMEMwBQYDK2VxAzoAVhYpnd+au5OaW+jXpt5rmzY+iW2IXq1hEYNcLW4c9SfKZD+w\n5XpB+CbHQ9AgVA+W2o7szXUj1t6A\n-----END PUBLIC KEY-----"));
        Assert.False(Pem.IsKey("not a key"));
        Assert.False(Pem.IsKey("-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----"));
        // An Ed25519 key one byte short, and an X25519 key (not a signing key): neither loads as a key JWT verifies with.
        Assert.False(Pem.IsKey("-----BEGIN PUBLIC KEY-----\nMCkwBQYDK2VwAyAAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZg==\n-----END PUBLIC KEY-----"));
        Assert.False(Pem.IsKey("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VuAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----"));
        // The right bytes under a label that is no key's.
        Assert.False(Pem.IsKey("-----BEGIN CERTIFICATE-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END CERTIFICATE-----"));
    }

    [Fact]
    public void An_acl_is_a_group_once_per_consumer()
    {
        var acl = Valid(ConsumerCredentials.Acl, $$"""{"consumer":{{OfConsumer}},"group":"gold"}""");
        Assert.Equal("gold", acl["group"]!.GetValue<string>());
        Assert.Equal($$"""[{{JsonNode.Parse(OfConsumer)!["id"]!.ToJsonString()}},"gold"]""", EntityIndexes.CacheKeyValue(ConsumerCredentials.Acl.CacheKey!, acl));
        HasError(Invalid(ConsumerCredentials.Acl, $$"""{"consumer":{{OfConsumer}}}"""), "group", "required field missing");
    }

    [Fact]
    public void An_mtls_credential_names_a_subject_and_shows_its_ca_certificate_only_when_it_has_one()
    {
        var bare = Valid(ConsumerCredentials.MtlsAuth, $$"""{"consumer":{{OfConsumer}},"subject_name":"alice@example.com"}""");
        Assert.False(bare.ContainsKey("ca_certificate"));
        var tied = Valid(ConsumerCredentials.MtlsAuth,
            $$$"""{"consumer":{{{OfConsumer}}},"subject_name":"alice@example.com","ca_certificate":{"id":"00000000-0000-4000-8000-0000000000ca"}}""");
        Assert.Equal("00000000-0000-4000-8000-0000000000ca", tied["ca_certificate"]!["id"]!.GetValue<string>());
        HasError(Invalid(ConsumerCredentials.MtlsAuth, $$"""{"consumer":{{OfConsumer}}}"""), "subject_name", "required field missing");
    }

    [Fact]
    public void Kongs_random_strings_are_32_alphanumeric_characters()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 2000; i++)
        {
            var value = RandomStrings.Kong();
            Assert.Matches("^[A-Za-z0-9]{32}$", value);
            Assert.True(seen.Add(value));
        }
    }
}
