using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Azure.Data.Tables;
using Gatehouse.Azure.Storage;
using Gatehouse.Core.DataPlanes;
using Gatehouse.Core.Entities;
using Gatehouse.Testing;
using Gatehouse.Testing.OpenApi;

namespace Gatehouse.Functions.Tests;

/// <summary>
/// <c>/v2/control-planes/{id}/dp-client-certificates</c> on a real Kestrel and Azurite: Konnect's
/// shapes and <c>{"message"}</c> errors checked against the spec, Gatehouse's generate, and the
/// thumbprint lookup the data plane API relies on.
/// </summary>
public sealed class DpClientCertApiTests(StorageFixture storage)
{
    private const string Collection = "/control-planes/{controlPlaneId}/dp-client-certificates";
    private const string Item = Collection + "/{certificateId}";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static OpenApiDocument Spec => ReferenceSpecs.ControlPlanesConfig;

    private static async Task<string> CreateControlPlaneAsync(RunningApp app, string name, string clusterType = "CLUSTER_TYPE_CONTROL_PLANE")
    {
        var created = await (await app.Client.PostJsonAsync("/v2/control-planes", $$"""{"name":"{{name}}","cluster_type":"{{clusterType}}"}"""))
            .ExpectAsync(HttpStatusCode.Created);
        return $"/v2/control-planes/{created.GetProperty("id").GetString()}/dp-client-certificates";
    }

    private static string Body(string cert, string? title = null) =>
        JsonSerializer.Serialize(title is null ? new Dictionary<string, string> { ["cert"] = cert } : new() { ["cert"] = cert, ["title"] = title });

    private static string Thumbprint(string pem)
    {
        using var certificate = X509Certificate2.CreateFromPem(pem);
        return DpCertificatePem.Thumbprint(certificate.RawData);
    }

    [Fact]
    public async Task Pin_list_get_replace_and_delete_round_trip_in_the_specs_shapes()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var path = await CreateControlPlaneAsync(app, "dp-roundtrip");
        var pem = TestCertificates.Server("CN=dp-one").Certificate;

        var created = await app.Client.PostJsonAsync(path, Body(pem, "edge nodes"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await OpenApiAssert.ValidResponseAsync(Spec, "POST", Collection, created, Ct);
        var item = (await created.JsonAsync()).GetProperty("item");
        var id = item.GetProperty("id").GetString()!;
        Assert.True(Guid.TryParseExact(id, "D", out _));
        Assert.Equal(pem, item.GetProperty("cert").GetString());
        Assert.Equal("edge nodes", item.GetProperty("title").GetString());
        using (var parsed = X509Certificate2.CreateFromPem(pem))
        {
            var details = item.GetProperty("cert_details");
            Assert.Equal(new DateTimeOffset(parsed.NotAfter.ToUniversalTime()).ToUnixTimeSeconds(), details.GetProperty("expiry_timestamp").GetInt64());
            Assert.Equal(Thumbprint(pem), details.GetProperty("sha256_fingerprint").GetString());
            Assert.Equal("CN=dp-one", details.GetProperty("subject").GetString());
        }
        Assert.InRange(item.GetProperty("created_at").GetInt64(), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);

        var list = await app.Client.GetAsync(path, Ct);
        await OpenApiAssert.ValidResponseAsync(Spec, "GET", Collection, list, Ct);
        var listed = await list.JsonAsync();
        Assert.Equal(1, listed.GetProperty("page").GetProperty("total_count").GetInt32());
        Assert.Equal(item.GetRawText(), Assert.Single(listed.GetProperty("items").EnumerateArray()).GetRawText());

        var got = await app.Client.GetAsync($"{path}/{id}", Ct);
        await OpenApiAssert.ValidResponseAsync(Spec, "GET", Item, got, Ct);
        Assert.Equal(item.GetRawText(), (await got.JsonAsync()).GetProperty("item").GetRawText());

        var next = TestCertificates.Server("CN=dp-two", elliptic: true).Certificate;
        var replaced = await app.Client.PutJsonAsync($"{path}/{id}", Body(next));
        await OpenApiAssert.ValidResponseAsync(Spec, "PUT", Item, replaced, Ct);
        var replacedItem = (await replaced.JsonAsync()).GetProperty("item");
        Assert.Equal(id, replacedItem.GetProperty("id").GetString());
        Assert.Equal(next, replacedItem.GetProperty("cert").GetString());
        Assert.Equal(item.GetProperty("created_at").GetInt64(), replacedItem.GetProperty("created_at").GetInt64());
        var pins = app.Services.GetRequiredService<IDpCertificateStore>();
        Assert.Null(await pins.FindByThumbprintAsync(Thumbprint(pem), Ct));
        Assert.Equal(Guid.Parse(id), (await pins.FindByThumbprintAsync(Thumbprint(next), Ct))?.CertificateId);

        var deleted = await app.Client.DeleteAsync($"{path}/{id}", Ct);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var gone = await app.Client.GetAsync($"{path}/{id}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        await OpenApiAssert.ValidResponseAsync(Spec, "GET", Item, gone, Ct);
        var again = await app.Client.DeleteAsync($"{path}/{id}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        await OpenApiAssert.ValidResponseAsync(Spec, "DELETE", Item, again, Ct);
        Assert.Equal(0, (await (await app.Client.GetAsync(path, Ct)).ExpectAsync(HttpStatusCode.OK)).GetProperty("page").GetProperty("total_count").GetInt32());
    }

    [Fact]
    public async Task Generate_returns_a_matching_client_key_once_and_nothing_stores_or_shows_it_again()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var path = await CreateControlPlaneAsync(app, "dp-generated");
        var cpId = Guid.Parse(path.Split('/')[3]);

        var response = await app.Client.PostJsonAsync($"{path}/generate", """{"title":"minted","validity_months":3}""");
        var body = await response.ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var item = body.GetProperty("item");
        Assert.Empty(Spec.ValidateComponent("DataPlaneClientCertificate", item));
        var cert = item.GetProperty("cert").GetString()!;
        var key = body.GetProperty("private_key").GetString()!;
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", key);
        Assert.True(Pem.Matches(cert, key), "the private key does not belong to the certificate");
        Assert.Equal("minted", item.GetProperty("title").GetString());

        using (var certificate = X509Certificate2.CreateFromPem(cert))
        {
            Assert.Contains($"CN=gatehouse-dp-{cpId}", certificate.Subject);
            var usages = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages;
            Assert.Contains(usages.Cast<Oid>(), u => u.Value == "1.3.6.1.5.5.7.3.2");
            Assert.InRange(certificate.NotAfter.ToUniversalTime(), DateTime.UtcNow.AddMonths(3).AddDays(-1), DateTime.UtcNow.AddMonths(3).AddDays(1));
            // A TLS client can use the pair: it signs, and the certificate's key verifies.
            using var signer = ECDsa.Create();
            signer.ImportFromPem(key);
            var data = "proof"u8.ToArray();
            Assert.True(certificate.GetECDsaPublicKey()!.VerifyData(data, signer.SignData(data, HashAlgorithmName.SHA256), HashAlgorithmName.SHA256));
        }

        var id = item.GetProperty("id").GetString();
        var got = await (await app.Client.GetAsync($"{path}/{id}", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(item.GetRawText(), got.GetProperty("item").GetRawText());
        Assert.False(got.TryGetProperty("private_key", out _));
        var listText = await (await app.Client.GetAsync(path, Ct)).Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("PRIVATE KEY", listText);

        // Not a byte of the key is in storage: every row of the table, every property.
        var keyBody = key.Split('\n')[1];
        var table = app.Services.GetRequiredService<StorageAccount>().Tables.GetTableClient(new StorageLayout(app.Prefix).DpCertificatesTable);
        var rows = await table.QueryAsync<TableEntity>(cancellationToken: Ct).ToListAsync(Ct);
        Assert.Equal(2, rows.Count);
        foreach (var value in rows.SelectMany(r => r).Select(p => p.Value?.ToString() ?? ""))
        {
            Assert.DoesNotContain("PRIVATE KEY", value);
            Assert.DoesNotContain(keyBody, value);
        }

        // No body at all: the defaults (a year).
        var plain = await (await app.Client.PostAsync($"{path}/generate", null, Ct)).ExpectAsync(HttpStatusCode.Created);
        var expiry = DateTimeOffset.FromUnixTimeSeconds(plain.GetProperty("item").GetProperty("cert_details").GetProperty("expiry_timestamp").GetInt64());
        Assert.InRange(expiry, DateTimeOffset.UtcNow.AddMonths(12).AddDays(-1), DateTimeOffset.UtcNow.AddMonths(12).AddDays(1));
    }

    public static TheoryData<string, string, string> BadCertificates()
    {
        var pair = TestCertificates.Server("CN=bad");
        var other = TestCertificates.Server("CN=other").Certificate;
        var der = pair.Certificate.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal));
        return new()
        {
            { "garbage", Body("hello, certificate"), "cert: must be a PEM-encoded X.509 certificate" },
            { "a private key", Body(pair.Key), "cert: holds a private key" },
            { "a certificate with its key", Body(pair.Certificate + "\n" + pair.Key), "cert: holds a private key" },
            { "a key run into the certificate", Body(pair.Certificate + pair.Key), "cert: holds a private key" },
            { "two certificates", Body(pair.Certificate + "\n" + other), "cert: holds more than one certificate" },
            { "an expired certificate", Body(Expired()), "cert: expired at" },
            { "base64 without PEM armour", Body(string.Concat(der)), "cert: must be a PEM-encoded X.509 certificate" },
            { "text around the block", Body("subject=CN=bad\n" + pair.Certificate), "cert: has text outside" },
            { "a certificate that is not one", Body("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), "cert: is not a valid X.509 certificate" },
            { "a public key", Body(PublicKey()), "cert: holds a 'PUBLIC KEY' block" },
            { "an oversized PEM", Body(pair.Certificate + new string(' ', DpCertificatePem.MaxLength)), "cert: must not be longer than" },
            { "cert not a string", """{"cert":42}""", "cert: must be a string" },
            { "no cert", """{"title":"t"}""", "cert: is a required field" },
            { "a title too long", Body(pair.Certificate, new string('t', 256)), "title: must not have more than 255 characters" },
            { "an unknown field", """{"cert":"x","key":"y"}""", "key: property key should not exist" },
            { "an empty body", "", "body: cannot be empty" },
            { "not JSON", "{cert:", "body: request format is invalid" },
            { "a JSON array", "[]", "body: must be a JSON object" },
        };
    }

    [Theory]
    [MemberData(nameof(BadCertificates))]
    public async Task A_bad_upload_is_a_400_in_the_specs_dialect_that_says_why_and_stores_nothing(string why, string body, string reason)
    {
        await using var app = await RunningApp.StartAsync(storage);
        var path = await CreateControlPlaneAsync(app, "dp-bad");

        var response = await app.Client.PostJsonAsync(path, body);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{why}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        await OpenApiAssert.ValidResponseAsync(Spec, "POST", Collection, response, Ct);
        var message = (await response.JsonAsync()).GetProperty("message").GetString()!;
        Assert.Contains(reason, message);
        Assert.DoesNotContain("PRIVATE KEY", message);
        Assert.Equal(0, (await (await app.Client.GetAsync(path, Ct)).ExpectAsync(HttpStatusCode.OK)).GetProperty("page").GetProperty("total_count").GetInt32());
    }

    [Fact]
    public async Task A_certificate_is_pinned_once_a_second_pin_anywhere_is_a_409_and_a_bad_put_changes_nothing()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var path = await CreateControlPlaneAsync(app, "dp-dup");
        var elsewhere = await CreateControlPlaneAsync(app, "dp-dup-other");
        var pem = TestCertificates.Server("CN=dup").Certificate;
        var first = (await (await app.Client.PostJsonAsync(path, Body(pem))).ExpectAsync(HttpStatusCode.Created)).GetProperty("item");

        var same = await app.Client.PostJsonAsync(path, Body(pem, "again"));
        var sameBody = await same.ExpectAsync(HttpStatusCode.Conflict);
        Assert.Empty(Spec.ValidateComponent("KonnectCPLegacyConflictError", sameBody));
        Assert.Contains("already pinned to this control plane", sameBody.GetProperty("message").GetString());
        Assert.Contains(first.GetProperty("id").GetString()!, sameBody.GetProperty("message").GetString());

        var other = await (await app.Client.PostJsonAsync(elsewhere, Body(pem))).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains($"another control plane ({path.Split('/')[3]})", other.GetProperty("message").GetString());

        // Re-pinning another record onto a taken certificate is refused the same way.
        var second = (await (await app.Client.PostJsonAsync(path, Body(TestCertificates.Server("CN=second").Certificate))).ExpectAsync(HttpStatusCode.Created))
            .GetProperty("item");
        await (await app.Client.PutJsonAsync($"{path}/{second.GetProperty("id").GetString()}", Body(pem))).ExpectAsync(HttpStatusCode.Conflict);
        var bad = await app.Client.PutJsonAsync($"{path}/{second.GetProperty("id").GetString()}", Body("nope"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        await OpenApiAssert.ValidResponseAsync(Spec, "PUT", Item, bad, Ct);
        var kept = await (await app.Client.GetAsync($"{path}/{second.GetProperty("id").GetString()}", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(second.GetRawText(), kept.GetProperty("item").GetRawText());
        Assert.Equal(2, (await (await app.Client.GetAsync(path, Ct)).ExpectAsync(HttpStatusCode.OK)).GetProperty("page").GetProperty("total_count").GetInt32());
    }

    [Fact]
    public async Task Unknown_control_planes_certificates_and_malformed_ids_are_404s_in_the_specs_dialect()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var path = await CreateControlPlaneAsync(app, "dp-404");
        var pem = TestCertificates.Server("CN=nobody").Certificate;
        var unknown = $"/v2/control-planes/{Guid.NewGuid()}/dp-client-certificates";

        foreach (var (method, template, response) in new[]
        {
            ("GET", Collection, await app.Client.GetAsync(unknown, Ct)),
            ("POST", Collection, await app.Client.PostJsonAsync(unknown, Body(pem))),
            ("GET", Item, await app.Client.GetAsync($"{unknown}/{Guid.NewGuid()}", Ct)),
            ("DELETE", Item, await app.Client.DeleteAsync($"{unknown}/{Guid.NewGuid()}", Ct)),
            ("PUT", Item, await app.Client.PutJsonAsync($"{path}/{Guid.NewGuid()}", Body(pem))),
            ("GET", Collection, await app.Client.GetAsync("/v2/control-planes/not-a-uuid/dp-client-certificates", Ct)),
            ("GET", Item, await app.Client.GetAsync($"{path}/not-a-uuid", Ct)),
            ("DELETE", Item, await app.Client.DeleteAsync($"{path}/{new string('9', 300)}", Ct)),
        })
        {
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode}");
            await OpenApiAssert.ValidResponseAsync(Spec, method, template, response, Ct);
        }
        var generated = await app.Client.PostAsync($"{unknown}/generate", null, Ct);
        Assert.Contains("was not found", (await generated.ExpectAsync(HttpStatusCode.NotFound)).GetProperty("message").GetString());
        Assert.Equal(0, (await (await app.Client.GetAsync(path, Ct)).ExpectAsync(HttpStatusCode.OK)).GetProperty("page").GetProperty("total_count").GetInt32());
    }

    [Fact]
    public async Task Without_the_admin_token_the_answer_is_the_specs_401()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var path = await CreateControlPlaneAsync(app, "dp-401");
        var response = await app.Anonymous.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await OpenApiAssert.ValidResponseAsync(Spec, "GET", Collection, response, Ct);
        Assert.Equal("Unauthorized", (await response.JsonAsync()).GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_group_takes_certificates_though_it_takes_no_entities()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var path = await CreateControlPlaneAsync(app, "dp-group", "CLUSTER_TYPE_CONTROL_PLANE_GROUP");
        var entities = path.Replace("dp-client-certificates", "core-entities/services", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Client.PostJsonAsync(entities, """{"name":"s","host":"h.test"}""")).StatusCode);

        await (await app.Client.PostJsonAsync(path, Body(TestCertificates.Server("CN=group-dp").Certificate))).ExpectAsync(HttpStatusCode.Created);
        await (await app.Client.PostAsync($"{path}/generate", null, Ct)).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(2, (await (await app.Client.GetAsync(path, Ct)).ExpectAsync(HttpStatusCode.OK)).GetProperty("page").GetProperty("total_count").GetInt32());
    }

    [Fact]
    public async Task A_thumbprint_finds_its_pinned_control_plane_until_the_certificate_or_the_control_plane_is_deleted()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var pins = app.Services.GetRequiredService<IDpCertificateStore>();
        var path = await CreateControlPlaneAsync(app, "dp-lookup");
        var cpId = Guid.Parse(path.Split('/')[3]);
        var uploaded = TestCertificates.Server("CN=uploaded").Certificate;
        var id = (await (await app.Client.PostJsonAsync(path, Body(uploaded))).ExpectAsync(HttpStatusCode.Created)).GetProperty("item").GetProperty("id").GetString();
        var generated = (await (await app.Client.PostAsync($"{path}/generate", null, Ct)).ExpectAsync(HttpStatusCode.Created)).GetProperty("item").GetProperty("cert").GetString()!;

        var pin = await pins.FindByThumbprintAsync(Thumbprint(uploaded), Ct);
        Assert.Equal(cpId, pin?.ControlPlaneId);
        Assert.Equal(Guid.Parse(id!), pin?.CertificateId);
        Assert.Equal(cpId, (await pins.FindByThumbprintAsync(Thumbprint(generated), Ct))?.ControlPlaneId);

        await (await app.Client.DeleteAsync($"{path}/{id}", Ct)).ExpectAsync(HttpStatusCode.NoContent);
        Assert.Null(await pins.FindByThumbprintAsync(Thumbprint(uploaded), Ct));

        await (await app.Client.DeleteAsync($"/v2/control-planes/{cpId}", Ct)).ExpectAsync(HttpStatusCode.NoContent);
        Assert.Null(await pins.FindByThumbprintAsync(Thumbprint(generated), Ct));
        Assert.Empty(await pins.ListAsync(cpId, Ct));

        // The certificate is free again: another control plane may pin it.
        var next = await CreateControlPlaneAsync(app, "dp-lookup-next");
        await (await app.Client.PostJsonAsync(next, Body(generated))).ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Generate_refuses_bad_options_with_the_field_named()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var path = await CreateControlPlaneAsync(app, "dp-gen-bad");
        foreach (var (body, reason) in new[]
        {
            ("""{"validity_months":0}""", "validity_months: must be from 1 to 120"),
            ("""{"validity_months":121}""", "validity_months: must be from 1 to 120"),
            ("""{"validity_months":"12"}""", "validity_months: must be an integer"),
            ("""{"cert":"x"}""", "cert: property cert should not exist"),
            ($$"""{"title":"{{new string('t', 300)}}"}""", "title: must not have more than 255"),
        })
        {
            var response = await app.Client.PostJsonAsync($"{path}/generate", body);
            Assert.Contains(reason, (await response.ExpectAsync(HttpStatusCode.BadRequest)).GetProperty("message").GetString());
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        }
        Assert.Equal(0, (await (await app.Client.GetAsync(path, Ct)).ExpectAsync(HttpStatusCode.OK)).GetProperty("page").GetProperty("total_count").GetInt32());
    }

    private static string Expired()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=expired", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddYears(-2), DateTimeOffset.UtcNow.AddDays(-1));
        return certificate.ExportCertificatePem();
    }

    private static string PublicKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportSubjectPublicKeyInfoPem();
    }
}
