using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gatehouse.Azure.Storage;
using Gatehouse.Core.DataPlanes;
using Gatehouse.Functions.DataPlanes;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests.DataPlanes;

/// <summary>
/// <c>/v1/dp/config</c> and <c>/v1/dp/heartbeat</c> over a real TLS handshake with client
/// certificates, on a real Kestrel and Azurite: pinning, refusals, ETag and 304, compression,
/// groups, heartbeats.
/// </summary>
public sealed class DataPlaneApiTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string ConfigPath(Guid node) => $"/v1/dp/config?node_id={node}";

    private static IEnumerable<string> ServiceNames(JsonElement config) =>
        config.TryGetProperty("services", out var services) ? services.EnumerateArray().Select(s => s.GetProperty("name").GetString()!) : [];

    private static async Task ExpectRefusalAsync(HttpResponseMessage response, string fragment)
    {
        var body = await response.ExpectAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(fragment, body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pinned_certificate_gets_its_control_planes_snapshot_with_the_hash_as_etag_and_304_needs_no_blob()
    {
        await using var kit = await DataPlaneKit.StartAsync(storage);
        var cp = await kit.CreateControlPlaneAsync("dp-config");
        await kit.PostEntityAsync(cp, "/services", """{"name":"orders","host":"orders.internal"}""");
        var (_, hash) = await kit.WaitForConfigAsync(cp, c => ServiceNames(c).Contains("orders"));
        var (dp, _) = await kit.ConnectAsync(cp);

        var response = await dp.GetAsync(ConfigPath(Guid.NewGuid()), Ct);
        var config = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal($"\"{hash}\"", response.Headers.ETag?.Tag);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["orders"], ServiceNames(config));

        // An old hash gets the current config. The data plane API holds the pointer it read for up to
        // RecentPointers.MaxAge, and this process forgets it as its push goes out, which can be just
        // after the admin API already serves the new snapshot: so within that age, not at once.
        await kit.PostEntityAsync(cp, "/services", """{"name":"billing","host":"billing.internal"}""");
        var (_, next) = await kit.WaitForConfigAsync(cp, c => ServiceNames(c).Contains("billing"));
        var servedBy = DateTime.UtcNow + RecentPointers.MaxAge + TimeSpan.FromSeconds(2);
        HttpResponseMessage changed;
        while (true)
        {
            using var stale = new HttpRequestMessage(HttpMethod.Get, ConfigPath(Guid.NewGuid()));
            stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{hash}\""));
            changed = await dp.SendAsync(stale, Ct);
            if (changed.StatusCode != HttpStatusCode.NotModified || DateTime.UtcNow > servedBy)
            {
                break;
            }
            await Task.Delay(100, Ct);
        }
        Assert.Equal(["billing", "orders"], ServiceNames(await changed.ExpectAsync(HttpStatusCode.OK)).Order());
        Assert.Equal($"\"{next}\"", changed.Headers.ETag?.Tag);

        // The 304 comes from the pointer row: with the snapshot's blob gone it is still answered.
        var layout = kit.App.Services.GetRequiredService<StorageLayout>();
        var blobs = kit.App.Services.GetRequiredService<StorageAccount>().Blobs.GetBlobContainerClient(layout.SnapshotsContainer);
        Assert.True((await blobs.GetBlobClient($"{cp}/{next}.json").DeleteIfExistsAsync(cancellationToken: Ct)).Value);
        using var conditional = new HttpRequestMessage(HttpMethod.Get, ConfigPath(Guid.NewGuid()));
        conditional.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{next}\""));
        var notModified = await dp.SendAsync(conditional, Ct);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal($"\"{next}\"", notModified.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task Config_is_compressed_with_brotli_or_gzip_as_accepted_and_kept_compressed_beside_the_snapshot()
    {
        await using var kit = await DataPlaneKit.StartAsync(storage);
        var cp = await kit.CreateControlPlaneAsync("dp-compressed");
        for (var i = 0; i < 20; i++)
        {
            await kit.PostEntityAsync(cp, "/services", $$"""{"name":"service-{{i}}","host":"s{{i}}.internal"}""");
        }
        var (_, hash) = await kit.WaitForConfigAsync(cp, c => ServiceNames(c).Count() == 20);
        var (dp, _) = await kit.ConnectAsync(cp);

        async Task<(string? Encoding, byte[] Body)> GetAsync(string? acceptEncoding)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, ConfigPath(Guid.NewGuid()));
            if (acceptEncoding is not null)
            {
                request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
            }
            var response = await dp.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal($"\"{hash}\"", response.Headers.ETag?.Tag);
            Assert.Contains("Accept-Encoding", response.Headers.Vary);
            return (response.Content.Headers.ContentEncoding.SingleOrDefault(), await response.Content.ReadAsByteArrayAsync(Ct));
        }

        var (none, plain) = await GetAsync(null);
        Assert.Null(none);
        Assert.Equal(20, ServiceNames(JsonDocument.Parse(plain).RootElement).Count());

        var (br, brotli) = await GetAsync("gzip, deflate, br");
        Assert.Equal("br", br);
        Assert.True(brotli.Length < plain.Length / 2, $"brotli {brotli.Length} bytes of {plain.Length}");
        Assert.Equal(plain, Decompress(new BrotliStream(new MemoryStream(brotli), CompressionMode.Decompress)));

        var (gz, gzip) = await GetAsync("gzip");
        Assert.Equal("gzip", gz);
        Assert.Equal(plain, Decompress(new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress)));

        Assert.Equal("gzip", (await GetAsync("br;q=0, gzip;q=0.5")).Encoding);
        Assert.Null((await GetAsync("identity")).Encoding);

        // Compressed once, then read back: the blobs sit beside the snapshot and a second request gets the same bytes.
        var blobs = kit.App.Services.GetRequiredService<StorageAccount>().Blobs
            .GetBlobContainerClient(kit.App.Services.GetRequiredService<StorageLayout>().SnapshotsContainer);
        var stored = await blobs.GetBlobClient($"{cp}/{hash}.json.br").DownloadContentAsync(cancellationToken: Ct);
        Assert.Equal(brotli, stored.Value.Content.ToArray());
        Assert.Equal(brotli, (await GetAsync("br")).Body);
    }

    private static byte[] Decompress(Stream stream)
    {
        using (stream)
        {
            using var output = new MemoryStream();
            stream.CopyTo(output);
            return output.ToArray();
        }
    }

    [Fact]
    public async Task No_certificate_an_unknown_a_deleted_or_an_expired_one_and_the_admin_token_are_refused()
    {
        await using var kit = await DataPlaneKit.StartAsync(storage);
        var cp = await kit.CreateControlPlaneAsync("dp-refusals");
        var (certificate, id) = await kit.PinAsync(cp);
        var path = ConfigPath(Guid.NewGuid());

        await ExpectRefusalAsync(await kit.DataPlane(null).GetAsync(path, Ct), "client certificate is required");
        await ExpectRefusalAsync(await kit.App.Anonymous.GetAsync(path, Ct), "client certificate is required");
        await ExpectRefusalAsync(await kit.App.Client.GetAsync(path, Ct), "client certificate is required");
        await ExpectRefusalAsync(await kit.DataPlane(TestCertificates.WithKey(TestCertificates.Server("CN=stranger"))).GetAsync(path, Ct), "not pinned");

        var pinned = kit.DataPlane(certificate);
        await (await pinned.GetAsync(path, Ct)).ExpectAsync(HttpStatusCode.OK);
        await (await kit.Admin.DeleteAsync($"/v2/control-planes/{cp}/dp-client-certificates/{id}", Ct)).ExpectAsync(HttpStatusCode.NoContent);
        // Refused at once, on the same connection.
        await ExpectRefusalAsync(await pinned.GetAsync(path, Ct), "not pinned");
        await ExpectRefusalAsync(await pinned.PostJsonAsync("/v1/dp/heartbeat", DataPlaneKit.Heartbeat(Guid.NewGuid())), "not pinned");

        // Uploads refuse expired certificates, so one that has expired since is pinned directly.
        using var expired = TestCertificates.Client("CN=expired", DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddMinutes(-1));
        await PinDirectlyAsync(kit, cp, expired);
        await ExpectRefusalAsync(await kit.DataPlane(expired).GetAsync(path, Ct), "expired");
    }

    private static async Task PinDirectlyAsync(DataPlaneKit kit, Guid cp, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        var now = DateTimeOffset.UtcNow;
        Assert.True(await kit.App.Services.GetRequiredService<IDpCertificateStore>().TryAddAsync(new DpCertificate
        {
            Id = Guid.NewGuid(),
            ControlPlaneId = cp,
            Cert = certificate.ExportCertificatePem(),
            Thumbprint = DpCertificatePem.Thumbprint(certificate.RawData),
            Subject = certificate.Subject,
            Issuer = certificate.Issuer,
            NotBefore = certificate.NotBefore.ToUniversalTime(),
            NotAfter = certificate.NotAfter.ToUniversalTime(),
            CreatedAt = now,
            UpdatedAt = now,
        }, Ct));
    }

    [Fact]
    public async Task A_deleted_control_planes_data_planes_are_refused()
    {
        await using var kit = await DataPlaneKit.StartAsync(storage);
        var cp = await kit.CreateControlPlaneAsync("dp-deleted-cp");
        var (dp, _) = await kit.ConnectAsync(cp);
        await (await dp.GetAsync(ConfigPath(Guid.NewGuid()), Ct)).ExpectAsync(HttpStatusCode.OK);
        await (await kit.Admin.DeleteAsync($"/v2/control-planes/{cp}", Ct)).ExpectAsync(HttpStatusCode.NoContent);
        await ExpectRefusalAsync(await dp.GetAsync(ConfigPath(Guid.NewGuid()), Ct), "not pinned");
    }

    [Fact]
    public async Task X_ARR_ClientCert_is_ignored_unless_the_app_is_configured_to_trust_it()
    {
        var pair = TestCertificates.Server("CN=forwarded", elliptic: true);
        using var certificate = TestCertificates.WithKey(pair);
        var header = Convert.ToBase64String(certificate.RawData);

        async Task<HttpResponseMessage> ForwardedAsync(RunningApp app, string value)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, ConfigPath(Guid.NewGuid()));
            request.Headers.Add("X-ARR-ClientCert", value);
            return await app.Anonymous.SendAsync(request, Ct);
        }

        await using (var untrusting = await DataPlaneKit.StartAsync(storage))
        {
            var cp = await untrusting.CreateControlPlaneAsync("dp-arr-default");
            await (await untrusting.Admin.PostJsonAsync($"/v2/control-planes/{cp}/dp-client-certificates",
                JsonSerializer.Serialize(new { cert = pair.Certificate }))).ExpectAsync(HttpStatusCode.Created);
            await ExpectRefusalAsync(await ForwardedAsync(untrusting.App, header), "client certificate is required");
        }

        await using var trusting = await DataPlaneKit.StartAsync(storage, new Dictionary<string, string?> { ["Gatehouse:DataPlane:TrustForwardedClientCert"] = "true" });
        var trusted = await trusting.CreateControlPlaneAsync("dp-arr-trusted");
        await trusting.PostEntityAsync(trusted, "/services", """{"name":"forwarded","host":"f.internal"}""");
        await trusting.WaitForConfigAsync(trusted, c => ServiceNames(c).Any());
        await (await trusting.Admin.PostJsonAsync($"/v2/control-planes/{trusted}/dp-client-certificates",
            JsonSerializer.Serialize(new { cert = pair.Certificate }))).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(["forwarded"], ServiceNames(await (await ForwardedAsync(trusting.App, header)).ExpectAsync(HttpStatusCode.OK)));
        await ExpectRefusalAsync(await ForwardedAsync(trusting.App, "not-base64!"), "client certificate is required");
        await ExpectRefusalAsync(await ForwardedAsync(trusting.App, Convert.ToBase64String(Encoding.UTF8.GetBytes("not a certificate"))), "client certificate is required");
    }

    [Fact]
    public async Task A_certificate_pinned_on_a_group_gets_the_groups_snapshot()
    {
        await using var kit = await DataPlaneKit.StartAsync(storage);
        var group = await kit.CreateControlPlaneAsync("dp-group", group: true);
        var (a, b) = (await kit.CreateControlPlaneAsync("dp-group-a"), await kit.CreateControlPlaneAsync("dp-group-b"));
        await kit.PostEntityAsync(a, "/services", """{"name":"from-a","host":"a.internal"}""");
        await kit.PostEntityAsync(b, "/services", """{"name":"from-b","host":"b.internal"}""");
        await (await kit.Admin.PostJsonAsync($"/v2/control-planes/{group}/group-memberships/add", $$"""{"members":[{"id":"{{a}}"},{"id":"{{b}}"}]}"""))
            .ExpectAsync(HttpStatusCode.NoContent);
        var (_, hash) = await kit.WaitForConfigAsync(group, c => ServiceNames(c).Count() == 2);
        var (certificate, _) = await kit.PinAsync(group);

        var response = await kit.DataPlane(certificate).GetAsync(ConfigPath(Guid.NewGuid()), Ct);
        Assert.Equal(["from-a", "from-b"], ServiceNames(await response.ExpectAsync(HttpStatusCode.OK)).Order());
        Assert.Equal($"\"{hash}\"", response.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task A_heartbeat_upserts_the_node_and_answers_what_it_should_run()
    {
        await using var kit = await DataPlaneKit.StartAsync(storage);
        var cp = await kit.CreateControlPlaneAsync("dp-heartbeat");
        var (certificate, certificateId) = await kit.PinAsync(cp);
        var (_, hash) = await kit.WaitForConfigAsync(cp, _ => true);
        var dp = kit.DataPlane(certificate);
        var node = Guid.NewGuid();

        var first = await (await dp.PostJsonAsync("/v1/dp/heartbeat", DataPlaneKit.Heartbeat(node, hostname: "edge-1"))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(node.ToString(), first.GetProperty("node_id").GetString());
        Assert.Equal(hash, first.GetProperty("expected_config_hash").GetString());
        Assert.Equal("out_of_sync", first.GetProperty("config_sync_status").GetString());
        Assert.Equal(CompatibilityStatus.FullyCompatible, first.GetProperty("compatibility_status").GetProperty("state").GetString());

        var store = kit.App.Services.GetRequiredService<INodeStore>();
        var created = (await store.FindAsync(cp, node, Ct))!;
        await Task.Delay(1100, Ct);
        var second = await (await dp.PostJsonAsync("/v1/dp/heartbeat", DataPlaneKit.Heartbeat(node, version: "3.9.0.1", hash: hash, hostname: "edge-1b")))
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("in_sync", second.GetProperty("config_sync_status").GetString());

        var updated = (await store.FindAsync(cp, node, Ct))!;
        Assert.Equal(("edge-1b", "3.9.0.1", hash, certificateId), (updated.Hostname, updated.Version, updated.ConfigHash, updated.CertificateId));
        Assert.Equal([new NodePlugin("cors", "3.9.1")], updated.Plugins);
        Assert.Equal("eu", updated.Labels["region"]);
        Assert.Equal(created.CreatedAt, updated.CreatedAt);
        Assert.True(updated.LastPing > created.LastPing);
        Assert.InRange(updated.LastPing, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task Heartbeats_and_config_requests_that_are_malformed_get_400_naming_the_fields()
    {
        await using var kit = await DataPlaneKit.StartAsync(storage);
        var cp = await kit.CreateControlPlaneAsync("dp-validation");
        var (dp, _) = await kit.ConnectAsync(cp);

        async Task<string> RefusedAsync(string body)
        {
            var refusal = await (await dp.PostJsonAsync("/v1/dp/heartbeat", body)).ExpectAsync(HttpStatusCode.BadRequest);
            return refusal.GetProperty("message").GetString()!;
        }

        var missing = await RefusedAsync("{}");
        Assert.Contains("node_id: is required", missing, StringComparison.Ordinal);
        Assert.Contains("hostname: is required", missing, StringComparison.Ordinal);
        Assert.Contains("version: is required", missing, StringComparison.Ordinal);

        var wrong = await RefusedAsync("""
            {"node_id":"nope","hostname":"h","version":"three","config_hash":"XYZ","plugins":[{"name":""},{"name":"cors","version":7},3],
             "labels":{"a":1},"extra":true,"error":{"message":""}}
            """);
        foreach (var field in new[] { "node_id", "version", "config_hash", "plugins[0].name", "plugins[1].version", "plugins[2]", "labels.a", "extra", "error.message" })
        {
            Assert.Contains(field + ":", wrong, StringComparison.Ordinal);
        }
        // An unknown field in these words is how a sidecar knows a control plane predates a heartbeat
        // field (Gatehouse.Sidecar's HeartbeatRefusal): changing them strands sidecars on older control planes.
        Assert.Contains("extra: property extra should not exist", wrong, StringComparison.Ordinal);
        Assert.Contains("body", await RefusedAsync("[]"), StringComparison.Ordinal);

        var noNode = await (await dp.GetAsync("/v1/dp/config", Ct)).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("node_id", noNode.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_server_certificate_file_is_made_once_readable_by_its_owner_only_and_reused()
    {
        var file = Path.Combine(Path.GetTempPath(), $"gatehouse-dp-{Guid.NewGuid():N}", "dp-server.pem");
        try
        {
            using var first = DataPlaneHttps.LoadOrCreate(file);
            Assert.True(first.HasPrivateKey);
            Assert.Contains("PRIVATE KEY", File.ReadAllText(file), StringComparison.Ordinal);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
            using var second = DataPlaneHttps.LoadOrCreate(file);
            Assert.Equal(first.Thumbprint, second.Thumbprint);
            using var ephemeral = DataPlaneHttps.LoadOrCreate(null);
            Assert.NotEqual(first.Thumbprint, ephemeral.Thumbprint);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }
}
