using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gatehouse.Core.Entities;
using Gatehouse.Testing;
using Gatehouse.Testing.OpenApi;

namespace Gatehouse.Functions.Tests;

/// <summary>
/// Consumer credentials over HTTP, as Konnect serves them: written under their consumer, read flat
/// too, every answer validated against the Konnect spec; Kong's unique values, cascade with the
/// consumer, hashed passwords and key-auth ttl.
/// </summary>
public sealed class ConsumerCredentialApiTests(StorageFixture storage) : IAsyncLifetime
{
    private const string Spec = "/control-planes/{controlPlaneId}/core-entities";

    private RunningApp _app = null!;
    private string _root = null!;

    public async ValueTask InitializeAsync()
    {
        _app = await RunningApp.StartAsync(storage);
        _root = await _app.CreateControlPlaneAsync("credentials");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient Api => _app.Client;

    private async Task<string> ConsumerAsync(string username) =>
        (await (await Api.PostJsonAsync(_root + "/consumers", $$"""{"username":"{{username}}"}""")).ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;

    private static async Task<JsonElement> ValidAsync(HttpResponseMessage response, string method, string template, HttpStatusCode status)
    {
        var body = await response.ExpectAsync(status);
        OpenApiAssert.ValidResponse(ReferenceSpecs.ControlPlanesConfig, method, Spec + template, (int)status, "application/json", body);
        return body;
    }

    /// <summary>(nested segment, flat collection, the spec's id parameter, a body to create, a body to replace it with).</summary>
    public static TheoryData<string, string, string, string, string> Types()
    {
        using var rsa = RSA.Create(2048);
        var rsaKey = JsonSerializer.Serialize(rsa.ExportSubjectPublicKeyInfoPem());
        return new()
        {
            { "key-auth", "key-auths", "KeyAuthId", """{"key":"k-1","tags":["mobile"]}""", """{"key":"k-2"}""" },
            { "basic-auth", "basic-auths", "BasicAuthId", """{"username":"alice-basic","password":"s3cr3t"}""", """{"username":"alice-basic","password":"n3w"}""" },
            { "hmac-auth", "hmac-auths", "HMACAuthId", """{"username":"alice-hmac"}""", """{"username":"alice-hmac-2","secret":"given"}""" },
            { "jwt", "jwts", "JWTId", """{"key":"iss-1"}""", $$"""{"key":"iss-2","algorithm":"RS256","rsa_public_key":{{rsaKey}}}""" },
            { "acls", "acls", "ACLId", """{"group":"gold"}""", """{"group":"silver"}""" },
            { "mtls-auth", "mtls-auths", "MTLSAuthId", """{"subject_name":"alice@example.com"}""", """{"subject_name":"alice@example.org"}""" },
        };
    }

    [Theory]
    [MemberData(nameof(Types))]
    public async Task Lifecycle_under_the_consumer_and_flat_validates_against_the_Konnect_spec(
        string nested, string flat, string idParameter, string body, string replacement)
    {
        var consumer = await ConsumerAsync("alice");
        var collection = $"{_root}/consumers/{consumer}/{nested}";
        var nestedTemplate = $"/consumers/{{ConsumerIdForNestedEntities}}/{nested}";

        var created = await ValidAsync(await Api.PostJsonAsync(collection, body), "POST", nestedTemplate, HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal(consumer, created.GetProperty("consumer").GetProperty("id").GetString());

        var got = await ValidAsync(await Api.GetAsync($"{collection}/{id}", Ct), "GET", $"{nestedTemplate}/{{{idParameter}}}", HttpStatusCode.OK);
        Assert.Equal(created.GetRawText(), got.GetRawText());
        var listed = await ValidAsync(await Api.GetAsync(collection, Ct), "GET", nestedTemplate, HttpStatusCode.OK);
        Assert.Equal([id], listed.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetString()));

        // Konnect's flat collections read every consumer's credentials.
        var flatList = await ValidAsync(await Api.GetAsync($"{_root}/{flat}", Ct), "GET", $"/{flat}", HttpStatusCode.OK);
        Assert.Contains(flatList.GetProperty("data").EnumerateArray(), c => c.GetProperty("id").GetString() == id);
        var flatItem = await ValidAsync(await Api.GetAsync($"{_root}/{flat}/{id}", Ct), "GET", $"/{flat}/{{{idParameter}}}", HttpStatusCode.OK);
        Assert.Equal(created.GetRawText(), flatItem.GetRawText());

        var replaced = await ValidAsync(await Api.PutJsonAsync($"{collection}/{id}", replacement), "PUT", $"{nestedTemplate}/{{{idParameter}}}", HttpStatusCode.OK);
        Assert.Equal(id, replaced.GetProperty("id").GetString());
        Assert.NotEqual(created.GetRawText(), replaced.GetRawText());

        // Konnect's spec has no PATCH for credentials, and neither has Gatehouse; nor a flat create.
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await Api.PatchJsonAsync($"{collection}/{id}", "{}")).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await Api.PostJsonAsync($"{_root}/{flat}", body)).StatusCode);

        await (await Api.DeleteAsync($"{collection}/{id}", Ct)).ExpectAsync(HttpStatusCode.NoContent);
        await (await Api.GetAsync($"{collection}/{id}", Ct)).ExpectAsync(HttpStatusCode.NotFound);
        await (await Api.DeleteAsync($"{collection}/{id}", Ct)).ExpectAsync(HttpStatusCode.NoContent);

        // Under a consumer that does not exist, there is nothing to list or write.
        await (await Api.GetAsync($"{_root}/consumers/nobody/{nested}", Ct)).ExpectAsync(HttpStatusCode.NotFound);
        await (await Api.PostJsonAsync($"{_root}/consumers/nobody/{nested}", body)).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("key-auth", """{"key":"dup"}""", """{"key":"dup"}""", "UNIQUE violation detected on '{key=\"dup\"}'")]
    [InlineData("basic-auth", """{"username":"dup","password":"a"}""", """{"username":"dup","password":"b"}""", "UNIQUE violation detected on '{username=\"dup\"}'")]
    [InlineData("hmac-auth", """{"username":"dup"}""", """{"username":"dup"}""", "UNIQUE violation detected on '{username=\"dup\"}'")]
    [InlineData("jwt", """{"key":"dup"}""", """{"key":"dup"}""", "UNIQUE violation detected on '{key=\"dup\"}'")]
    public async Task A_credentials_unique_value_is_unique_in_the_control_plane_across_consumers(string nested, string first, string second, string message)
    {
        var (alice, bob) = (await ConsumerAsync("alice"), await ConsumerAsync("bob"));
        await (await Api.PostJsonAsync($"{_root}/consumers/{alice}/{nested}", first)).ExpectAsync(HttpStatusCode.Created);
        var conflict = await (await Api.PostJsonAsync($"{_root}/consumers/{bob}/{nested}", second)).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Equal(message, conflict.GetProperty("message").GetString());
        // Nothing of the refused write was stored.
        Assert.Equal(0, (await (await Api.GetAsync($"{_root}/consumers/{bob}/{nested}", Ct)).ExpectAsync(HttpStatusCode.OK)).GetProperty("data").GetArrayLength());

        // Another control plane is another namespace.
        var other = await _app.CreateControlPlaneAsync("credentials-elsewhere");
        var carol = (await (await Api.PostJsonAsync(other + "/consumers", """{"username":"carol"}""")).ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetString();
        await (await Api.PostJsonAsync($"{other}/consumers/{carol}/{nested}", second)).ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task An_acl_group_is_once_per_consumer_and_found_by_its_group_under_the_consumer()
    {
        var (alice, bob) = (await ConsumerAsync("alice"), await ConsumerAsync("bob"));
        var gold = await (await Api.PostJsonAsync($"{_root}/consumers/alice/acls", """{"group":"gold"}""")).ExpectAsync(HttpStatusCode.Created);
        await (await Api.PostJsonAsync($"{_root}/consumers/{bob}/acls", """{"group":"gold"}""")).ExpectAsync(HttpStatusCode.Created);
        var twice = await (await Api.PostJsonAsync($"{_root}/consumers/{alice}/acls", """{"group":"gold"}""")).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Equal($$"""UNIQUE violation detected on '{consumer={id="{{alice}}"},group="gold"}'""", twice.GetProperty("message").GetString());

        // Kong's acl api.lua: the group names the ACL under its consumer, and PUT by group is an upsert.
        var byGroup = await (await Api.GetAsync($"{_root}/consumers/alice/acls/gold", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(gold.GetProperty("id").GetString(), byGroup.GetProperty("id").GetString());
        var upserted = await (await Api.PutJsonAsync($"{_root}/consumers/{alice}/acls/gold", """{"tags":["vip"]}""")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(gold.GetProperty("id").GetString(), upserted.GetProperty("id").GetString());
        Assert.Equal(["vip"], upserted.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        var created = await (await Api.PutJsonAsync($"{_root}/consumers/{alice}/acls/silver", "{}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("silver", created.GetProperty("group").GetString());
        await (await Api.GetAsync($"{_root}/consumers/{bob}/acls/silver", Ct)).ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal(3, (await (await Api.GetAsync($"{_root}/acls", Ct)).ExpectAsync(HttpStatusCode.OK)).GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Credentials_are_found_by_their_endpoint_key_and_only_under_their_own_consumer()
    {
        var (alice, bob) = (await ConsumerAsync("alice"), await ConsumerAsync("bob"));
        var key = await (await Api.PostJsonAsync($"{_root}/consumers/alice/key-auth", """{"key":"alice-key"}""")).ExpectAsync(HttpStatusCode.Created);
        var id = key.GetProperty("id").GetString();
        Assert.Equal(id, (await (await Api.GetAsync($"{_root}/key-auths/alice-key", Ct)).ExpectAsync(HttpStatusCode.OK)).GetProperty("id").GetString());
        Assert.Equal(id, (await (await Api.GetAsync($"{_root}/consumers/{alice}/key-auth/alice-key", Ct)).ExpectAsync(HttpStatusCode.OK)).GetProperty("id").GetString());
        await (await Api.GetAsync($"{_root}/consumers/{bob}/key-auth/{id}", Ct)).ExpectAsync(HttpStatusCode.NotFound);
        await (await Api.GetAsync($"{_root}/consumers/{bob}/key-auth/alice-key", Ct)).ExpectAsync(HttpStatusCode.NotFound);
        // A nested write belongs to the consumer in the path, whatever the body says.
        var forced = await (await Api.PostJsonAsync($"{_root}/consumers/{bob}/key-auth", $$$"""{"key":"bob-key","consumer":{"id":"{{{alice}}}"}}""")).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(bob, forced.GetProperty("consumer").GetProperty("id").GetString());
        // A generated key is Kong's: 32 letters and digits.
        var generated = await (await Api.PostJsonAsync($"{_root}/consumers/{bob}/key-auth", "{}")).ExpectAsync(HttpStatusCode.Created);
        Assert.Matches("^[A-Za-z0-9]{32}$", generated.GetProperty("key").GetString());
    }

    [Fact]
    public async Task Basic_auth_passwords_are_stored_and_shown_only_as_Kongs_hash()
    {
        var alice = await ConsumerAsync("alice");
        var hash = BasicAuthPasswords.Hash(alice, "s3cr3t");
        Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes("s3cr3t" + alice))), hash);

        var created = await (await Api.PostJsonAsync($"{_root}/consumers/{alice}/basic-auth", """{"username":"alice","password":"s3cr3t"}""")).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(hash, created.GetProperty("password").GetString());
        foreach (var url in new[] { $"{_root}/basic-auths", $"{_root}/basic-auths/alice", $"{_root}/consumers/{alice}/basic-auth" })
        {
            var text = await (await Api.GetAsync(url, Ct)).Content.ReadAsStringAsync(Ct);
            Assert.Contains(hash, text, StringComparison.Ordinal);
            Assert.DoesNotContain("s3cr3t", text, StringComparison.Ordinal);
        }

        // ?skip_hash=true takes a password that is hashed already, as Konnect does.
        var imported = await (await Api.PutJsonAsync($"{_root}/consumers/{alice}/basic-auth/bob?skip_hash=true", $$"""{"password":"{{hash}}"}""")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(hash, imported.GetProperty("password").GetString());
        var rehashed = await (await Api.PutJsonAsync($"{_root}/consumers/{alice}/basic-auth/bob?skip_hash=false", $$"""{"password":"{{hash}}"}""")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(BasicAuthPasswords.Hash(alice, hash), rehashed.GetProperty("password").GetString());
        var refused = await (await Api.PostJsonAsync($"{_root}/consumers/{alice}/basic-auth?skip_hash=yes", """{"username":"carol","password":"x"}""")).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("skip_hash", refused.GetProperty("message").GetString());
        // A password that is not Kong's hash cannot be kept as one: it would be plain text, and never match.
        var plain = await (await Api.PostJsonAsync($"{_root}/consumers/{alice}/basic-auth?skip_hash=true", """{"username":"carol","password":"plain-text"}""")).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal("password", plain.GetProperty("details")[0].GetProperty("field").GetString());
        Assert.DoesNotContain("plain-text", plain.GetRawText(), StringComparison.Ordinal);
        await (await Api.GetAsync($"{_root}/basic-auths/carol", Ct)).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_key_auth_ttl_counts_down_on_reads_is_the_expiry_in_the_snapshot_and_an_expired_key_is_gone_from_reads()
    {
        var alice = await ConsumerAsync("alice");
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var lasting = await (await Api.PostJsonAsync($"{_root}/consumers/{alice}/key-auth", """{"key":"lasting","ttl":3600}""")).ExpectAsync(HttpStatusCode.Created);
        Assert.InRange(lasting.GetProperty("ttl").GetInt64(), 3590, 3600);
        var forever = await (await Api.PostJsonAsync($"{_root}/consumers/{alice}/key-auth", """{"key":"forever"}""")).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(JsonValueKind.Null, forever.GetProperty("ttl").ValueKind);
        var invalid = await (await Api.PostJsonAsync($"{_root}/consumers/{alice}/key-auth", """{"key":"bad","ttl":-5}""")).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("must be an integer between 0 and 100000000", invalid.GetRawText());

        var cp = _root.Split('/')[3];
        var config = await DeclarativeImportTests.ExportWhenAsync(_app, cp, (_, c) => c["consumers"]?[0]?["keyauth_credentials"]?.AsArray().Count == 2);
        var expiry = config["consumers"]![0]!["keyauth_credentials"]!.AsArray().Single(k => k!["key"]!.GetValue<string>() == "lasting")!["ttl"]!.GetValue<long>();
        Assert.InRange(expiry, before + 3600, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600);

        var brief = await (await Api.PostJsonAsync($"{_root}/consumers/{alice}/key-auth", """{"key":"brief","ttl":1}""")).ExpectAsync(HttpStatusCode.Created);
        await Task.Delay(TimeSpan.FromSeconds(2.2), Ct);
        await (await Api.GetAsync($"{_root}/key-auths/{brief.GetProperty("id").GetString()}", Ct)).ExpectAsync(HttpStatusCode.NotFound);
        var left = await (await Api.GetAsync($"{_root}/consumers/{alice}/key-auth", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["forever", "lasting"], left.GetProperty("data").EnumerateArray().Select(k => k.GetProperty("key").GetString()).Order());
    }

    [Fact]
    public async Task Deleting_a_consumer_removes_its_credentials_in_the_same_write()
    {
        var alice = await ConsumerAsync("alice");
        var bob = await ConsumerAsync("bob");
        var ca = (await (await Api.PostJsonAsync(_root + "/ca_certificates", JsonSerializer.Serialize(new { cert = TestCertificates.CertificateAuthority() })))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetString();
        var bodies = new Dictionary<string, string>
        {
            ["key-auth"] = "{}",
            ["basic-auth"] = """{"username":"alice","password":"p"}""",
            ["hmac-auth"] = """{"username":"alice"}""",
            ["jwt"] = "{}",
            ["acls"] = """{"group":"gold"}""",
            ["mtls-auth"] = $$$"""{"subject_name":"alice","ca_certificate":{"id":"{{{ca}}}"}}""",
        };
        var ids = new Dictionary<string, string>();
        foreach (var (nested, body) in bodies)
        {
            ids[nested] = (await (await Api.PostJsonAsync($"{_root}/consumers/{alice}/{nested}", body)).ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        }
        var bobsKey = (await (await Api.PostJsonAsync($"{_root}/consumers/{bob}/key-auth", "{}")).ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetString();

        var store = _app.Services.GetRequiredService<IEntityStore>();
        var cp = Guid.Parse(_root.Split('/')[3]);
        var revision = (await store.GetRevisionAsync(cp, Ct)).Number;
        await (await Api.DeleteAsync($"{_root}/consumers/alice", Ct)).ExpectAsync(HttpStatusCode.NoContent);
        Assert.Equal(revision + 1, (await store.GetRevisionAsync(cp, Ct)).Number);

        var flat = new Dictionary<string, string>
        {
            ["key-auth"] = "key-auths",
            ["basic-auth"] = "basic-auths",
            ["hmac-auth"] = "hmac-auths",
            ["jwt"] = "jwts",
            ["acls"] = "acls",
            ["mtls-auth"] = "mtls-auths",
        };
        foreach (var (nested, id) in ids)
        {
            await (await Api.GetAsync($"{_root}/{flat[nested]}/{id}", Ct)).ExpectAsync(HttpStatusCode.NotFound);
        }
        // Bob's credential is his own, and the basic-auth username is free again.
        await (await Api.GetAsync($"{_root}/key-auths/{bobsKey}", Ct)).ExpectAsync(HttpStatusCode.OK);
        await (await Api.PostJsonAsync($"{_root}/consumers/{bob}/basic-auth", """{"username":"alice","password":"p"}""")).ExpectAsync(HttpStatusCode.Created);

        // An mTLS credential goes with its CA certificate too (on_delete = "cascade").
        var tied = await (await Api.PostJsonAsync($"{_root}/consumers/{bob}/mtls-auth", $$$"""{"subject_name":"bob","ca_certificate":{"id":"{{{ca}}}"}}""")).ExpectAsync(HttpStatusCode.Created);
        await (await Api.DeleteAsync($"{_root}/ca_certificates/{ca}", Ct)).ExpectAsync(HttpStatusCode.NoContent);
        await (await Api.GetAsync($"{_root}/mtls-auths/{tied.GetProperty("id").GetString()}", Ct)).ExpectAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Invalid_credentials_are_refused_with_the_field_and_Kongs_message()
    {
        var alice = await ConsumerAsync("alice");
        // Konnect's dialect: "validation error", one detail per field (or the entity) with Kong's messages.
        async Task<string[]> Refused(string nested, string body)
        {
            var refused = await (await Api.PostJsonAsync($"{_root}/consumers/{alice}/{nested}", body)).ExpectAsync(HttpStatusCode.BadRequest);
            Assert.Equal("validation error", refused.GetProperty("message").GetString());
            return [.. refused.GetProperty("details").EnumerateArray().SelectMany(d => d.GetProperty("messages").EnumerateArray()
                .Select(m => $"{(d.TryGetProperty("field", out var field) ? field.GetString() : "@entity")}: {m.GetString()}")).Order()];
        }

        Assert.Equal(["password: required field missing"], await Refused("basic-auth", """{"username":"a"}"""));
        Assert.Equal(["@entity: failed conditional validation given value of field 'algorithm'", "rsa_public_key: required field missing"],
            await Refused("jwt", """{"algorithm":"RS256"}"""));
        Assert.Equal(["@entity: failed conditional validation given value of field 'algorithm'", "rsa_public_key: invalid key"],
            await Refused("jwt", """{"algorithm":"EdDSA","rsa_public_key":"nope"}"""));
        Assert.StartsWith("algorithm: expected one of: HS256", Assert.Single(await Refused("jwt", """{"algorithm":"none"}""")));
        Assert.Equal(["group: required field missing"], await Refused("acls", "{}"));
        Assert.Equal(["subject_name: required field missing"], await Refused("mtls-auth", "{}"));
        Assert.Equal(["key: expected a string"], await Refused("key-auth", """{"key":1}"""));
        Assert.Equal(["created: unknown field"], await Refused("key-auth", """{"created":1}"""));
        Assert.Equal(["ttl: must be an integer between 0 and 100000000"], await Refused("key-auth", """{"ttl":1e9}"""));
        var missing = await (await Api.PostJsonAsync($"{_root}/consumers/{alice}/mtls-auth", """{"subject_name":"a","ca_certificate":{"id":"00000000-0000-4000-8000-0000000000ca"}}"""))
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("does not reference an existing 'ca_certificates' entity", missing.GetProperty("message").GetString());
        Assert.Equal(0, (await (await Api.GetAsync($"{_root}/consumers/{alice}/mtls-auth", Ct)).ExpectAsync(HttpStatusCode.OK)).GetProperty("data").GetArrayLength());
    }
}
