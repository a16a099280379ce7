using System.Net;
using System.Text.Json;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests;

public sealed class HealthTests(StorageFixture storage)
{
    [Fact]
    public async Task Healthz_is_200_when_every_storage_service_answers()
    {
        await using var app = await RunningApp.StartAsync(storage);

        var response = await app.Client.GetAsync("/healthz", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        var data = body.RootElement.GetProperty("checks").GetProperty("storage").GetProperty("data");
        Assert.Equal("reachable", data.GetProperty("tables").GetString());
        Assert.Equal("reachable", data.GetProperty("blobs").GetString());
        Assert.Equal("reachable", data.GetProperty("queues").GetString());
    }

    [Fact]
    public async Task Healthz_is_503_naming_the_services_when_storage_is_unreachable()
    {
        var closed = LoopbackPort.Unused();
        var unreachable = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteProcess.AccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{closed}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{closed}/devstoreaccount1;" +
            $"TableEndpoint=http://127.0.0.1:{closed}/devstoreaccount1;";
        await using var app = await RunningApp.StartAsync(new Dictionary<string, string?> { ["GatehouseStorage"] = unreachable });

        var response = await app.Client.GetAsync("/healthz", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Unhealthy", body.RootElement.GetProperty("status").GetString());
        var description = body.RootElement.GetProperty("checks").GetProperty("storage").GetProperty("description").GetString();
        Assert.Contains("tables", description);
        Assert.Contains("blobs", description);
        Assert.Contains("queues", description);
    }

    [Fact]
    public async Task The_root_answers_so_the_Functions_host_sees_the_handler_ready()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var response = await app.Client.GetAsync("/", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void Without_storage_settings_the_app_refuses_to_start_and_says_what_to_set()
    {
        var e = Assert.Throws<InvalidOperationException>(() => GatehouseApp.Build(["--urls", "http://127.0.0.1:0"]));
        Assert.Contains("GatehouseStorage", e.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("too-short")]
    // A Key Vault reference the platform could not resolve stays in the setting as its own text,
    // which anyone who knows the vault's name could send.
    [InlineData("@Microsoft.KeyVault(SecretUri=https://kv-example.vault.azure.net/secrets/gatehouse-admin-token/)")]
    [InlineData("@Microsoft.KeyVault(VaultName=kv-example;SecretName=gatehouse-admin-token)")]
    public void Without_a_strong_admin_token_the_app_refuses_to_start(string? token)
    {
        var e = Assert.Throws<InvalidOperationException>(() => GatehouseApp.Build(
            ["--urls", "http://127.0.0.1:0"],
            b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["GatehouseStorage"] = storage.ConnectionString,
                ["Gatehouse:AdminToken"] = token,
            })));
        Assert.Contains("Gatehouse__AdminToken", e.Message);
    }

    [Theory]
    [InlineData("AccountName=x", "AccountKey")]
    [InlineData("UseDevelopmentStorage=false", "UseDevelopmentStorage")]
    public void A_bad_connection_string_stops_the_start_with_the_reason(string connectionString, string reason)
    {
        var e = Assert.Throws<InvalidOperationException>(() => GatehouseApp.Build(
            ["--urls", "http://127.0.0.1:0"],
            b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["GatehouseStorage"] = connectionString })));
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void Managed_identity_settings_must_name_https_service_uris()
    {
        var e = Assert.Throws<InvalidOperationException>(() => GatehouseApp.Build(
            ["--urls", "http://127.0.0.1:0"],
            b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["GatehouseStorage:tableServiceUri"] = "http://plain.table.core.windows.net",
                ["GatehouseStorage:blobServiceUri"] = "https://a.blob.core.windows.net",
                ["GatehouseStorage:queueServiceUri"] = "https://a.queue.core.windows.net",
                ["GatehouseStorage:credential"] = "managedidentity",
            })));
        Assert.Contains("tableServiceUri", e.Message);
    }
}
