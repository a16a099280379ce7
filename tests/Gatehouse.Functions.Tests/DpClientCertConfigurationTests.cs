using System.Net;
using Gatehouse.Azure.KeyVault;
using Gatehouse.Core.DataPlanes;
using Gatehouse.Testing;
using Gatehouse.Testing.OpenApi;

namespace Gatehouse.Functions.Tests;

/// <summary>Choosing the certificate issuer and its settings, and how our own OpenAPI document describes the endpoints.</summary>
public sealed class DpClientCertConfigurationTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("Gatehouse:CertificateIssuer", "vault", "Gatehouse__CertificateIssuer 'vault' is not supported")]
    [InlineData("Gatehouse:CertificateIssuer", "keyvault", "Gatehouse__KeyVault__Uri must be the vault's https URI")]
    [InlineData("Gatehouse:Certificates:ValidityMonths", "0", "Gatehouse__Certificates__ValidityMonths must be a whole number from 1 to 120")]
    [InlineData("Gatehouse:Certificates:ValidityMonths", "1y", "Gatehouse__Certificates__ValidityMonths must be a whole number from 1 to 120")]
    public void A_bad_issuer_setting_stops_the_app_at_start_with_the_reason(string key, string value, string reason)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(new() { [key] = value }));
        Assert.Contains(reason, error.Message);
    }

    [Theory]
    [InlineData("http://vault.example.net/", null, "must be the vault's https URI")]
    [InlineData("https://vault.example.net/", "maybe", "Gatehouse__KeyVault__Purge must be true or false")]
    [InlineData("https://vault.example.net/", "true", null)]
    public void Key_vault_needs_an_https_uri_and_a_boolean_purge(string uri, string? purge, string? reason)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Gatehouse:CertificateIssuer"] = "KeyVault",
            ["Gatehouse:KeyVault:Uri"] = uri,
            ["Gatehouse:KeyVault:Purge"] = purge,
            ["Gatehouse:KeyVault:credential"] = "managedidentity",
        };
        if (reason is not null)
        {
            Assert.Contains(reason, Assert.Throws<InvalidOperationException>(() => Build(settings)).Message);
            return;
        }
        // Resolved without calling the vault: the vault is only reached when a certificate is generated.
        using var app = Build(settings);
        Assert.IsType<KeyVaultCertificateIssuer>(app.Services.GetRequiredService<ICertificateIssuer>());
    }

    [Fact]
    public async Task Locally_certificates_are_self_signed_and_the_default_validity_is_configurable()
    {
        await using var app = await RunningApp.StartAsync(storage, new Dictionary<string, string?> { ["Gatehouse:Certificates:ValidityMonths"] = "2" });
        Assert.IsType<SelfSignedCertificateIssuer>(app.Services.GetRequiredService<ICertificateIssuer>());
        var cp = await (await app.Client.PostJsonAsync("/v2/control-planes", """{"name":"dp-config"}""")).ExpectAsync(HttpStatusCode.Created);
        var generated = await (await app.Client.PostAsync($"/v2/control-planes/{cp.GetProperty("id").GetString()}/dp-client-certificates/generate", null, Ct))
            .ExpectAsync(HttpStatusCode.Created);
        var details = generated.GetProperty("item").GetProperty("cert_details");
        Assert.Equal(details.GetProperty("subject").GetString(), details.GetProperty("issuer").GetString());
        var expiry = DateTimeOffset.FromUnixTimeSeconds(details.GetProperty("expiry_timestamp").GetInt64());
        Assert.InRange(expiry, DateTimeOffset.UtcNow.AddMonths(2).AddDays(-1), DateTimeOffset.UtcNow.AddMonths(2).AddDays(1));
    }

    [Fact]
    public async Task Our_openapi_document_describes_the_endpoints_and_generate_and_our_answers_validate_against_it()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var document = OpenApiDocument.Parse(await app.Anonymous.GetStringAsync("/openapi/v1.json", Ct));
        const string collection = "/v2/control-planes/{controlPlaneId}/dp-client-certificates";
        foreach (var (method, path) in new[]
        {
            ("GET", collection), ("POST", collection), ("POST", $"{collection}/generate"),
            ("GET", $"{collection}/{{certificateId}}"), ("PUT", $"{collection}/{{certificateId}}"), ("DELETE", $"{collection}/{{certificateId}}"),
        })
        {
            document.Operation(method, path);
        }

        var cp = await (await app.Client.PostJsonAsync("/v2/control-planes", """{"name":"dp-documented"}""")).ExpectAsync(HttpStatusCode.Created);
        var root = $"/v2/control-planes/{cp.GetProperty("id").GetString()}/dp-client-certificates";
        await OpenApiAssert.ValidResponseAsync(document, "POST", $"{collection}/generate", await app.Client.PostJsonAsync($"{root}/generate", """{"title":"doc"}"""), Ct);
        await OpenApiAssert.ValidResponseAsync(document, "POST", $"{collection}/generate", await app.Client.PostJsonAsync($"{root}/generate", """{"validity_months":-1}"""), Ct);
        await OpenApiAssert.ValidResponseAsync(document, "GET", collection, await app.Client.GetAsync(root, Ct), Ct);
        await OpenApiAssert.ValidResponseAsync(document, "POST", collection, await app.Client.PostJsonAsync(root, """{"cert":"x"}"""), Ct);
        await OpenApiAssert.ValidResponseAsync(document, "GET", $"{collection}/{{certificateId}}", await app.Client.GetAsync($"{root}/{Guid.NewGuid()}", Ct), Ct);
    }

    private WebApplication Build(Dictionary<string, string?> settings)
    {
        var all = new Dictionary<string, string?>(settings)
        {
            ["GatehouseStorage"] = storage.ConnectionString,
            ["Gatehouse:AdminToken"] = RunningApp.AdminToken,
        };
        return GatehouseApp.Build(["--urls", "http://127.0.0.1:0"], builder => builder.Configuration.AddInMemoryCollection(all));
    }
}
