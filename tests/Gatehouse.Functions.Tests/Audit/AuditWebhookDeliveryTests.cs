using System.Buffers.Text;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gatehouse.Core.Audit;
using Gatehouse.Functions.Tests.Access;
using Gatehouse.Testing;
using Microsoft.Extensions.Logging;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace Gatehouse.Functions.Tests.Audit;

/// <summary>
/// Webhook delivery of the audit log on a real Kestrel and Azurite, to a receiver that is a real
/// Kestrel too: every entry arrives (at least once) after the receiver was down, in order, signed
/// so that the published key verifies it, with the configured Authorization header, which never
/// shows in an answer or a log line.
/// </summary>
public sealed partial class AuditWebhookDeliveryTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string?> Settings(double firstRetry = 0.2, double longestRetry = 1) => new()
    {
        ["Gatehouse:Audit:AllowHttpEndpoints"] = "true",
        ["Gatehouse:Audit:DeliverySeconds"] = "0.05",
        ["Gatehouse:Audit:DeliverySettleSeconds"] = "0.5",
        ["Gatehouse:Audit:DeliveryBatchSize"] = "4",
        ["Gatehouse:Audit:DeliveryFirstRetrySeconds"] = firstRetry.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Gatehouse:Audit:DeliveryLongestRetrySeconds"] = longestRetry.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Logging:LogLevel:Default"] = "Trace",
    };

    [Fact]
    public async Task With_the_receiver_down_then_up_every_entry_arrives_in_order_and_every_signature_verifies()
    {
        var logs = new CapturedLogs();
        await using var app = await RunningApp.StartAsync(storage, Settings(), configure: b => b.Logging.AddProvider(logs));
        await using var receiver = WebhookReceiver.Down(LoopbackPort.Unused());
        var secret = "Splunk " + Guid.NewGuid().ToString("N");

        var created = await (await app.Client.PostJsonAsync("/v2/audit-log-destinations",
            $$"""{"name":"siem","endpoint":"{{receiver.Endpoint}}","authorization":"{{secret}}","log_format":"json"}""")).ExpectAsync(HttpStatusCode.Created);
        var destination = created.GetProperty("id").GetString();
        await (await app.Client.PatchJsonAsync("/v2/audit-log-webhook", $$"""{"audit_log_destination_id":"{{destination}}","enabled":true}"""))
            .ExpectAsync(HttpStatusCode.OK);

        // Changes and a refusal while the receiver is down.
        for (var i = 0; i < 5; i++)
        {
            var entities = await app.CreateControlPlaneAsync($"delivered-{i}");
            await (await app.Client.PostJsonAsync($"{entities}/services", $$"""{"name":"s{{i}}","host":"s.internal"}""")).ExpectAsync(HttpStatusCode.Created);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous.PostJsonAsync("/v2/control-planes", """{"name":"nope"}""")).StatusCode);
        var expected = await ExpectedAsync(app);
        Assert.Equal(11, expected.Count);
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);
        Assert.Empty(receiver.Received);

        await receiver.StartAsync();
        var arrived = await UntilAllArriveAsync(receiver, expected, json: true);

        Assert.Equal(expected, arrived.Distinct());
        var key = await PublicKeyAsync(app);
        foreach (var batch in receiver.Received)
        {
            Assert.Equal(secret, batch.Authorization);
            Assert.Equal("gzip", batch.ContentEncoding);
            Assert.StartsWith("application/json", batch.ContentType);
            foreach (var entry in JsonDocument.Parse(batch.Body).RootElement.EnumerateArray())
            {
                Assert.True(VerifiesJson(entry.GetRawText(), key), $"signature of {entry.GetRawText()}");
            }
        }
        // A tampered entry does not verify.
        var first = JsonDocument.Parse(receiver.Received.First().Body).RootElement[0].GetRawText();
        Assert.False(VerifiesJson(first.Replace("\"kong_initiated\":false", "\"kong_initiated\":true", StringComparison.Ordinal), key));

        // The secret is stored, never answered, never logged.
        foreach (var path in new[] { $"/v2/audit-log-destinations/{destination}", "/v2/audit-log-destinations", "/v2/audit-log-webhook", "/v2/audit-logs" })
        {
            var body = await (await app.Client.GetAsync(path, Ct)).Content.ReadAsStringAsync(Ct);
            Assert.DoesNotContain(secret[7..], body, StringComparison.Ordinal);
        }
        Assert.NotEmpty(logs.Lines);
        Assert.False(logs.Contain(secret[7..]), "a log line has the authorization value");
    }

    [Fact]
    public async Task Cef_to_the_webhooks_own_endpoint_backs_off_while_refused_then_delivers_every_entry_signed()
    {
        await using var app = await RunningApp.StartAsync(storage, Settings(firstRetry: 0.4, longestRetry: 1.6));
        await using var receiver = WebhookReceiver.Down(LoopbackPort.Unused());
        receiver.Status = 503;
        await receiver.StartAsync();
        await (await app.Client.PatchJsonAsync("/v2/audit-log-webhook",
            $$"""{"endpoint":"{{receiver.Endpoint}}","authorization":"Bearer cef-token","log_format":"cef","enabled":true}""")).ExpectAsync(HttpStatusCode.OK);
        for (var i = 0; i < 3; i++)
        {
            await app.CreateControlPlaneAsync($"cef-{i}");
        }
        var expected = await ExpectedAsync(app);

        // Refused for 4 seconds: waits of 0.4, 0.8, 1.6, 1.6 s allow about 5 attempts where the 50 ms timer alone would make 80.
        var refusedFrom = DateTime.UtcNow;
        while (receiver.Attempts == 0 && DateTime.UtcNow - refusedFrom < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50, Ct);
        }
        await Task.Delay(TimeSpan.FromSeconds(4), Ct);
        Assert.InRange(receiver.Attempts, 2, 8);

        receiver.Status = 204;
        var arrived = await UntilAllArriveAsync(receiver, expected, json: false);
        Assert.Equal(expected, arrived.Distinct());
        var key = await PublicKeyAsync(app);
        // The webhook's own configuration, answered after it took effect, may come along; the control plane creates are checked.
        var lines = receiver.Received.SelectMany(b => b.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            .Where(line => !line.Contains("action=audit-log-", StringComparison.Ordinal)).ToList();
        Assert.Equal(expected.Count, lines.Select(line => CefId().Match(line).Groups[1].Value).Distinct().Count());
        foreach (var line in lines)
        {
            Assert.Matches(@"^[A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} gatehouse CEF:0\|KongInc\|Konnect\|1\.0\|konnect\|control-planes\.create\|1\|rt=\d+ src=127\.0\.0\.1 action=control-planes\.create ", line);
            Assert.Contains(" requestMethod=POST request=/v2/control-planes status=201 outcome=success ", line, StringComparison.Ordinal);
            Assert.True(VerifiesCef(line, key), $"signature of {line}");
            Assert.False(VerifiesCef(line.Replace("status=201", "status=200", StringComparison.Ordinal), key));
        }
        Assert.All(receiver.Received, b => Assert.Equal("Bearer cef-token", b.Authorization));
        Assert.All(receiver.Received, b => Assert.StartsWith("text/plain", b.ContentType));
    }

    [Fact]
    public async Task A_change_begun_and_not_answered_is_delivered_once_the_sweep_lists_it_after_what_was_sent_meanwhile()
    {
        var settings = Settings();
        settings["Gatehouse:Audit:InterruptedAfterSeconds"] = "1";
        await using var app = await RunningApp.StartAsync(storage, settings);
        await using var receiver = WebhookReceiver.Down(LoopbackPort.Unused());
        await receiver.StartAsync();
        await (await app.Client.PatchJsonAsync("/v2/audit-log-webhook", $$"""{"endpoint":"{{receiver.Endpoint}}","authorization":"Bearer x","log_format":"json","enabled":true}"""))
            .ExpectAsync(HttpStatusCode.OK);
        await Task.Delay(50, Ct);

        // A process began a change and stopped before it answered: its entry is in the outbox only.
        var interrupted = new AuditEntry(Guid.NewGuid(), DateTimeOffset.UtcNow, new AuditPrincipal("organization_admin", null, "the organization admin"),
            "control-planes.create", null, "POST", "/v2/control-planes", null, "0HN:crashed", "0123456789abcdef0123456789abcdef", "127.0.0.1", "tests/1");
        await app.Services.GetRequiredService<IAuditLog>().BeginAsync(interrupted, Ct);
        for (var i = 0; i < 3; i++)
        {
            await app.CreateControlPlaneAsync($"after-the-crash-{i}");
        }
        // Later changes are not held back by it: they are delivered, in the order they were answered.
        var answered = await ExpectedAsync(app);
        Assert.Equal(3, answered.Count);
        Assert.Equal(answered, (await UntilAllArriveAsync(receiver, answered, json: true)).Distinct());

        // The sweep lists it interrupted: it is delivered then, after them, though its request arrived first.
        await Task.Delay(TimeSpan.FromSeconds(1.5), Ct);
        await app.Services.GetRequiredService<AuditSweeper>().SweepAsync(Ct);
        var expected = await ExpectedAsync(app);
        Assert.Equal(interrupted.Id.ToString(), expected[0]);
        var arrived = await UntilAllArriveAsync(receiver, expected, json: true);
        Assert.Equal([.. answered, interrupted.Id.ToString()], arrived.Distinct());
        var last = JsonDocument.Parse(receiver.Received.Last().Body).RootElement.EnumerateArray().Last();
        Assert.Equal(interrupted.Id.ToString(), last.GetProperty("id").GetString());
        Assert.Equal("interrupted", last.GetProperty("result").GetString());
    }

    [Fact]
    public async Task Destinations_are_validated_as_problems_hide_their_authorization_and_cannot_be_deleted_while_used()
    {
        await using var app = await RunningApp.StartAsync(storage);
        var invalid = await app.Client.PostJsonAsync("/v2/audit-log-destinations", """{"name":"x","endpoint":"http://plain.example","log_format":"cps","colour":"red"}""");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("application/problem+json", invalid.Content.Headers.ContentType?.MediaType);
        var problems = JsonDocument.Parse(await invalid.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("invalid_parameters").EnumerateArray()
            .Select(p => p.GetProperty("field").GetString()).Order().ToList();
        Assert.Equal(["authorization", "colour", "endpoint", "log_format"], problems);

        var created = await (await app.Client.PostJsonAsync("/v2/audit-log-destinations",
            """{"name":"siem","endpoint":"https://siem.example/in","authorization":"Bearer hidden-1","log_format":"cef","skip_ssl_verification":true}""")).ExpectAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString();
        Assert.False(created.TryGetProperty("authorization", out _));
        Assert.Equal("cef", created.GetProperty("log_format").GetString());
        Assert.True(created.GetProperty("skip_ssl_verification").GetBoolean());

        var updated = await (await app.Client.PatchJsonAsync($"/v2/audit-log-destinations/{id}", """{"name":"renamed","authorization":"Bearer hidden-2"}""")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("renamed", updated.GetProperty("name").GetString());
        Assert.Equal("https://siem.example/in", updated.GetProperty("endpoint").GetString());
        Assert.DoesNotContain("hidden", updated.GetRawText(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync($"/v2/audit-log-destinations/{Guid.NewGuid()}", Ct)).StatusCode);
        var badWebhook = await app.Client.PatchJsonAsync("/v2/audit-log-webhook", $$"""{"audit_log_destination_id":"{{Guid.NewGuid()}}","enabled":true}""");
        Assert.Equal(HttpStatusCode.BadRequest, badWebhook.StatusCode);
        var webhook = await (await app.Client.PatchJsonAsync("/v2/audit-log-webhook", $$"""{"audit_log_destination_id":"{{id}}","enabled":true}""")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(id, webhook.GetProperty("audit_log_destination_id").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await app.Client.DeleteAsync($"/v2/audit-log-destinations/{id}", Ct)).StatusCode);
        await (await app.Client.PatchJsonAsync("/v2/audit-log-webhook", """{"endpoint":"https://other.example/in","enabled":false}""")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NoContent, (await app.Client.DeleteAsync($"/v2/audit-log-destinations/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.DeleteAsync($"/v2/audit-log-destinations/{id}", Ct)).StatusCode);

        // The key is made once and kept: a second app on the same storage publishes the same one.
        var jwks = await (await app.Client.GetAsync("/v2/audit-log-webhook/jwks.json", Ct)).ExpectAsync(HttpStatusCode.OK);
        var jwk = Assert.Single(jwks.GetProperty("keys").EnumerateArray().ToList());
        Assert.Equal(("OKP", "Ed25519", "EdDSA"), (jwk.GetProperty("kty").GetString(), jwk.GetProperty("crv").GetString(), jwk.GetProperty("alg").GetString()));
        await using var again = await RunningApp.StartAsync(storage, prefix: app.Prefix);
        var (_, viewer) = await SystemAccounts.WithRolesAsync(again, "verifier");
        using (viewer)
        {
            var published = await (await viewer.GetAsync("/v2/audit-log-webhook/jwks.json", Ct)).ExpectAsync(HttpStatusCode.OK);
            Assert.Equal(jwk.GetProperty("x").GetString(), published.GetProperty("keys")[0].GetProperty("x").GetString());
        }
    }

    /// <summary>The ids of the entries the webhook owes, oldest first: every one after the webhook was configured.</summary>
    private static async Task<List<string>> ExpectedAsync(RunningApp app)
    {
        var body = await (await app.Client.GetAsync("/v2/audit-logs?page[size]=1000", Ct)).ExpectAsync(HttpStatusCode.OK);
        return [.. body.GetProperty("data").EnumerateArray()
            .Where(e => !e.GetProperty("action").GetString()!.StartsWith("audit-log-", StringComparison.Ordinal))
            .Reverse().Select(e => e.GetProperty("id").GetString()!)];
    }

    /// <summary>Waits until every expected id has arrived; answers the expected ids in the order they arrived, repeats included.</summary>
    private static async Task<List<string>> UntilAllArriveAsync(WebhookReceiver receiver, List<string> expected, bool json)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var arrived = receiver.Received.SelectMany(b => json
                ? JsonDocument.Parse(b.Body).RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()!)
                : CefId().Matches(b.Body).Select(m => m.Groups[1].Value)).ToList();
            if (expected.All(arrived.Contains) || DateTime.UtcNow > deadline)
            {
                // The webhook's own configuration may be delivered too (it was answered after the webhook took effect); the test's changes are what it checks.
                return [.. arrived.Where(expected.Contains)];
            }
            await Task.Delay(100, Ct);
        }
    }

    private static async Task<byte[]> PublicKeyAsync(RunningApp app)
    {
        var jwks = await (await app.Client.GetAsync("/v2/audit-log-webhook/jwks.json", Ct)).ExpectAsync(HttpStatusCode.OK);
        return Base64Url.DecodeFromChars(jwks.GetProperty("keys")[0].GetProperty("x").GetString());
    }

    // The README's recipe: take the sig out of the entry, verify the rest with the published key.
    private static bool VerifiesJson(string entry, byte[] key)
    {
        var sig = JsonDocument.Parse(entry).RootElement.GetProperty("sig").GetString()!;
        return Verifies(entry.Replace($",\"sig\":\"{sig}\"", "", StringComparison.Ordinal), sig, key);
    }

    private static bool VerifiesCef(string line, byte[] key)
    {
        var at = line.LastIndexOf(" sig=", StringComparison.Ordinal);
        return Verifies(line[..at], line[(at + 5)..], key);
    }

    private static bool Verifies(string signed, string sig, byte[] key)
    {
        var verifier = new Ed25519Signer();
        verifier.Init(forSigning: false, new Ed25519PublicKeyParameters(key));
        var bytes = Encoding.UTF8.GetBytes(signed);
        verifier.BlockUpdate(bytes, 0, bytes.Length);
        return verifier.VerifySignature(Base64Url.DecodeFromChars(sig));
    }

    [GeneratedRegex(@" id=([0-9a-f-]{36}) ")]
    private static partial Regex CefId();
}
