using System.Text.Json;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;
using Gatehouse.Testing;
using static Gatehouse.Core.Tests.Entities.EntityAssert;

namespace Gatehouse.Core.Tests.Entities;

public sealed class OtherSchemaTests
{
    private static string Json(object value) => JsonSerializer.Serialize(value);

    [Fact]
    public void Consumers_need_a_username_or_custom_id()
    {
        HasError(Invalid(Consumers.Schema, "{}"), null, "at least one of these fields must be non-empty: 'custom_id', 'username'");
        Valid(Consumers.Schema, """{"custom_id":"c1"}""");
        var stored = Valid(Consumers.Schema, """{"username":"u"}""");
        HasError(Invalid(Consumers.Schema, """{"username":null}""", WriteMode.Update, stored), null,
            "when updating, at least one of these fields must be non-empty: 'custom_id', 'username'");
    }

    [Fact]
    public void Plugins_default_protocols_need_a_record_config_and_a_known_name()
    {
        var plugin = Valid(Plugins.Schema, """{"name":"request-transformer"}""");
        Assert.Equal("""["grpc","grpcs","http","https"]""", plugin["protocols"]!.ToJsonString());

        HasError(Invalid(Plugins.Schema, """{"name":"cors","config":[1]}"""), "config", "expected a record");
        HasError(Invalid(Plugins.Schema, """{"name":"cors","config":null}"""), "config", "required field missing");
        HasError(Invalid(Plugins.Schema, """{"name":5}"""), "name", "expected a string");
        HasError(Invalid(Plugins.Schema, """{"name":"request-transformer","consumer":{"id":"6f1d8a7e-3c4b-4a2d-9e8f-0a1b2c3d4e5f"},"consumer_group":{"id":"6f1d8a7e-3c4b-4a2d-9e8f-0a1b2c3d4e50"}}"""),
            null, "only one or none of these fields must be set: 'consumer', 'consumer_group'");
    }

    [Theory]
    [InlineData("""{"config":{"minute":"x"},"protocols":["nope"],"bogus":1}""", "required field missing")]
    [InlineData("""{"name":null,"config":{}}""", "required field missing")]
    [InlineData("""{"name":"my-custom-plugin","config":{"minute":5}}""", "plugin 'my-custom-plugin' not enabled; add it to the 'plugins' configuration property")]
    [InlineData("""{"name":"Bad Name","config":[1],"protocols":["nope"],"bogus":1}""", "plugin 'Bad Name' not enabled; add it to the 'plugins' configuration property")]
    public void A_plugin_without_a_name_or_with_an_unknown_one_gets_that_one_error_and_nothing_else(string body, string message)
    {
        // kong/db/schema/init.lua:2111-2122 at 3.9.3: no subschema, no further validation.
        var error = Assert.Single(Invalid(Plugins.Schema, body));
        Assert.Equal("name", error.Path);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Upstreams_get_the_full_healthchecks_default_and_patch_merges_into_it()
    {
        var upstream = Valid(Upstreams.Schema, """{"name":"backend.internal"}""");
        var active = upstream["healthchecks"]!["active"]!;
        Assert.Equal("""[200,302]""", active["healthy"]!["http_statuses"]!.ToJsonString());
        Assert.Equal(10, active["concurrency"]!.GetValue<long>());
        Assert.False(active.AsObject().ContainsKey("https_sni"));
        Assert.Equal("""[429,500,503]""", upstream["healthchecks"]!["passive"]!["unhealthy"]!["http_statuses"]!.ToJsonString());

        var patched = Valid(Upstreams.Schema, """{"healthchecks":{"active":{"concurrency":3}}}""", WriteMode.Update, upstream);
        Assert.Equal(3, patched["healthchecks"]!["active"]!["concurrency"]!.GetValue<long>());
        Assert.Equal("""[200,302]""", patched["healthchecks"]!["active"]!["healthy"]!["http_statuses"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"name":"1.2.3.4"}""", "name", "Invalid name ('1.2.3.4'); no ip addresses allowed")]
    [InlineData("""{"name":"a.test:80"}""", "name", "Invalid name ('a.test:80'); no port allowed")]
    [InlineData("""{"name":"bad name"}""", "name", "Invalid name ('bad name'); must be a valid hostname")]
    [InlineData("""{"name":"u","slots":5}""", "slots", "value should be between 10 and 65536")]
    [InlineData("""{"name":"u","hash_on":"header"}""", "hash_on_header", "required field missing")]
    [InlineData("""{"name":"u","hash_on":"cookie","hash_on_cookie":"c","hash_fallback":"ip"}""", "hash_fallback", "expected one of: none")]
    [InlineData("""{"name":"u","hash_on":"header","hash_on_header":"x","hash_fallback":"header","hash_fallback_header":"x"}""", null, "values of these fields must be distinct: 'hash_on_header', 'hash_fallback_header'")]
    [InlineData("""{"name":"u","healthchecks":{"active":{"timeout":-1}}}""", "healthchecks.active.timeout", "value should be between 0 and 65535")]
    [InlineData("""{"name":"u","healthchecks":{"active":{"healthy":{"http_statuses":[99]}}}}""", "healthchecks.active.healthy.http_statuses[0]", "value should be between 100 and 999")]
    [InlineData("""{"name":"u","healthchecks":{"bogus":1}}""", "healthchecks.bogus", "unknown field")]
    [InlineData("""{"name":"u","algorithm":"sticky-sessions"}""", "sticky_sessions_cookie", "required field missing")]
    public void Invalid_upstreams(string json, string? path, string message) => HasError(Invalid(Upstreams.Schema, json), path, message);

    [Fact]
    public void Hashing_on_something_means_consistent_hashing() =>
        Assert.Equal("consistent-hashing", Valid(Upstreams.Schema, """{"name":"u","hash_on":"ip"}""")["algorithm"]!.GetValue<string>());

    [Theory]
    [InlineData("10.0.0.1", "10.0.0.1:8000")]
    [InlineData("10.0.0.1:9000", "10.0.0.1:9000")]
    [InlineData("api.internal", "api.internal:8000")]
    [InlineData("::1", "[0000:0000:0000:0000:0000:0000:0000:0001]:8000")]
    [InlineData("[2001:db8::1]:443", "[2001:0db8:0000:0000:0000:0000:0000:0001]:443")]
    public void Targets_are_stored_normalized_with_the_default_port(string target, string stored) =>
        Assert.Equal(stored, Valid(Targets.Schema, $$$"""{"target":"{{{target}}}","upstream":{"id":"6f1d8a7e-3c4b-4a2d-9e8f-0a1b2c3d4e5f"}}""")["target"]!.GetValue<string>());

    [Fact]
    public void Targets_need_their_upstream_and_a_valid_host()
    {
        HasError(Invalid(Targets.Schema, """{"target":"a.test"}"""), "upstream", "required field missing");
        HasError(Invalid(Targets.Schema, """{"target":"bad host","upstream":{"id":"6f1d8a7e-3c4b-4a2d-9e8f-0a1b2c3d4e5f"}}"""),
            "target", "Invalid target ('bad host'); not a valid hostname or ip address");
        HasError(Invalid(Targets.Schema, """{"target":"a.test","weight":70000,"upstream":{"id":"6f1d8a7e-3c4b-4a2d-9e8f-0a1b2c3d4e5f"}}"""),
            "weight", "value should be between 0 and 65535");
    }

    [Fact]
    public void Certificates_must_parse_and_match_their_key()
    {
        var rsa = TestCertificates.Server();
        var ec = TestCertificates.Server(elliptic: true);
        var other = TestCertificates.Server();

        Valid(Certificates.Schema, Json(new { cert = rsa.Certificate, key = rsa.Key }));
        Valid(Certificates.Schema, Json(new { cert = rsa.Certificate, key = rsa.Key, cert_alt = ec.Certificate, key_alt = ec.Key }));
        HasError(Invalid(Certificates.Schema, Json(new { cert = rsa.Certificate, key = other.Key })), null, "certificate does not match key");
        HasError(Invalid(Certificates.Schema, Json(new { cert = rsa.Certificate, key = rsa.Key, cert_alt = ec.Certificate })), null,
            "all or none of these fields must be set: 'cert_alt', 'key_alt'");
        HasError(Invalid(Certificates.Schema, Json(new { cert = rsa.Certificate, key = rsa.Key, cert_alt = other.Certificate, key_alt = other.Key })), null,
            "certificate and alternative certificate need to have different type (e.g. RSA and ECDSA), the provided certificates were both of the same type");
        Assert.StartsWith("invalid certificate:", Invalid(Certificates.Schema, Json(new { cert = "not a pem", key = rsa.Key })).Single(e => e.Path == "cert").Message);
        Assert.StartsWith("invalid key:", Invalid(Certificates.Schema, Json(new { cert = rsa.Certificate, key = "nope" })).Single(e => e.Path == "key").Message);
    }

    [Fact]
    public void Ca_certificates_must_be_a_single_unexpired_CA_and_get_their_digest()
    {
        var ca = TestCertificates.CertificateAuthority();
        var entity = Valid(CaCertificates.Schema, Json(new { cert = ca, cert_digest = "forged" }));
        Assert.Matches("^[0-9a-f]{64}$", entity["cert_digest"]!.GetValue<string>());

        HasError(Invalid(CaCertificates.Schema, Json(new { cert = TestCertificates.Server().Certificate })), "cert",
            "certificate does not appear to be a CA because it is missing the \"CA\" basic constraint");
        HasError(Invalid(CaCertificates.Schema, Json(new { cert = TestCertificates.CertificateAuthority(notAfter: DateTimeOffset.UtcNow.AddDays(-1)) })), "cert",
            "certificate expired, \"Not After\" time is in the past");
        HasError(Invalid(CaCertificates.Schema, Json(new { cert = ca + ca })), "cert", "please submit only one certificate at a time");
    }

    [Theory]
    [InlineData("""{"name":"env","prefix":"env"}""", "prefix", "must not be one of: env, aws, azure, gcp, hcv, konnect")]
    [InlineData("""{"name":"env","prefix":"Bad_Prefix"}""", "prefix", "invalid value: Bad_Prefix")]
    [InlineData("""{"name":"env","prefix":"ends-"}""", "prefix", "invalid value: ends-")]
    [InlineData("""{"name":"vault9","prefix":"ok"}""", "name", "vault 'vault9' is not installed")]
    public void Invalid_vaults(string json, string path, string message) => HasError(Invalid(Vaults.Schema, json), path, message);

    [Fact]
    public void Keys_hold_a_JWK_or_a_PEM_pair_that_match()
    {
        var jwk = Json(new { kid = "k1", kty = "RSA", n = "x", e = "AQAB" });
        Valid(Keys.Schema, Json(new { kid = "k1", jwk }));
        HasError(Invalid(Keys.Schema, Json(new { kid = "k2", jwk })), null, "kid in jwk.kid must be equal to keys.kid");
        HasError(Invalid(Keys.Schema, Json(new { kid = "k1", jwk = "{not json" })), null, "could not json decode jwk string");
        HasError(Invalid(Keys.Schema, """{"kid":"k1"}"""), null, "at least one of these fields must be non-empty: 'jwk', 'pem'");

        var pair = TestCertificates.Server();
        using var rsa = System.Security.Cryptography.RSA.Create();
        rsa.ImportFromPem(pair.Key);
        var publicKey = rsa.ExportSubjectPublicKeyInfoPem();
        Valid(Keys.Schema, Json(new { kid = "p1", pem = new { private_key = pair.Key, public_key = publicKey } }));
        HasError(Invalid(Keys.Schema, Json(new { kid = "p1", jwk, pem = new { public_key = publicKey } })), null, "only one or none of these fields must be set: 'jwk', 'pem'");
        HasError(Invalid(Keys.Schema, Json(new { kid = "p1", pem = new { private_key = TestCertificates.Server().Key, public_key = publicKey } })), "pem",
            "public key does not match private key");
    }
}
