using System.Diagnostics;
using System.Text.RegularExpressions;
using Azure;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Gatehouse.Azure.Storage;
using Gatehouse.Testing;

namespace Gatehouse.Azure.Tests;

/// <summary>
/// Retries, timeouts, cancellation, signing and service versions: what the storage clients built
/// by <see cref="StorageAccount"/> do where Azurite cannot show it, against a scripted server.
/// </summary>
public sealed partial class PipelineBehaviourTests(StorageFixture storage)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>All three services at one endpoint, signed with Azurite's well-known key.</summary>
    private static StorageAccount Account(Uri endpoint, int maxRetries = 3, double networkTimeoutSeconds = 10)
    {
        var options = new StorageAccountOptions();
        foreach (var service in new ClientOptions[] { options.Tables, options.Blobs, options.Queues })
        {
            service.Retry.MaxRetries = maxRetries;
            service.Retry.Delay = TimeSpan.FromMilliseconds(10);
            service.Retry.MaxDelay = TimeSpan.FromMilliseconds(50);
            service.Retry.NetworkTimeout = TimeSpan.FromSeconds(networkTimeoutSeconds);
        }
        return StorageAccount.FromConnectionString(
            $"DefaultEndpointsProtocol=http;AccountName={AzuriteProcess.AccountName};AccountKey={AzuriteProcess.AccountKey};" +
            $"BlobEndpoint={endpoint};QueueEndpoint={endpoint};TableEndpoint={endpoint};",
            options);
    }

    [Fact]
    public async Task Every_client_speaks_the_service_version_pinned_in_one_place()
    {
        await using var server = new ScriptedHttpServer(_ => new(404, ""));
        var account = Account(server.Endpoint, maxRetries: 0);

        await Assert.ThrowsAsync<RequestFailedException>(() => account.Tables.GetTableClient("t").GetEntityAsync<TableEntity>("p", "r", cancellationToken: Ct));
        await Assert.ThrowsAsync<RequestFailedException>(() => account.Blobs.GetBlobContainerClient("c").GetBlobClient("b").DownloadContentAsync(Ct));
        await Assert.ThrowsAsync<RequestFailedException>(() => account.Queues.GetQueueClient("q").ReceiveMessagesAsync(cancellationToken: Ct));

        // Azurite 3.35 accepts these; it refuses the Blob and Queue SDKs' defaults (2026-10-06).
        Assert.Equal(["2020-12-06", "2025-11-05", "2025-11-05"], server.Requests.Select(r => r.Headers["x-ms-version"]));
    }

    [Fact]
    public async Task Transient_503s_are_retried_until_the_service_answers_and_each_attempt_is_signed_afresh()
    {
        var attempts = 0;
        await using var server = new ScriptedHttpServer(_ => Interlocked.Increment(ref attempts) <= 2
            ? new(503, "<Error><Code>ServerBusy</Code><Message>busy</Message></Error>", ("Content-Type", "application/xml"))
            : new(201, "", ("ETag", "\"0x1\""), ("Last-Modified", "Sat, 21 Nov 2026 10:00:00 GMT")));
        var blob = Account(server.Endpoint).Blobs.GetBlobContainerClient("c1x").GetBlobClient("b");

        var result = await blob.UploadAsync(BinaryData.FromString("x"), overwrite: true, Ct);

        Assert.Equal(3, attempts);
        // The third attempt's answer (the Blob client keeps an ETag as the header has it, quoted).
        Assert.Equal(new ETag("\"0x1\""), result.Value.ETag);
        Assert.All(server.Requests, r => Assert.StartsWith($"SharedKey {AzuriteProcess.AccountName}:", r.Headers["Authorization"]));
        Assert.All(server.Requests, r => Assert.True(r.Headers.ContainsKey("x-ms-date")));
    }

    [Fact]
    public async Task Errors_that_retries_cannot_fix_fail_at_once_with_the_code_and_message()
    {
        await using var server = new ScriptedHttpServer(_ =>
            new(403, "<?xml version=\"1.0\"?><Error><Code>AuthorizationFailure</Code><Message>This request is not authorized.</Message></Error>",
                ("Content-Type", "application/xml"), ("x-ms-error-code", "AuthorizationFailure")));
        var blob = Account(server.Endpoint).Blobs.GetBlobContainerClient("c1x").GetBlobClient("b");

        var e = await Assert.ThrowsAsync<RequestFailedException>(() => blob.DownloadContentAsync(Ct));
        Assert.Equal(403, e.Status);
        Assert.Equal("AuthorizationFailure", e.ErrorCode);
        Assert.Contains("This request is not authorized.", e.Message);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_hung_service_fails_after_the_network_timeout_instead_of_hanging()
    {
        await using var server = new ScriptedHttpServer(_ => null);
        var table = Account(server.Endpoint, maxRetries: 1, networkTimeoutSeconds: 0.5).Tables.GetTableClient("hung");

        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAnyAsync<Exception>(() => table.GetEntityAsync<TableEntity>("p", "r", cancellationToken: Ct));
        clock.Stop();

        Assert.True(e is RequestFailedException or AggregateException or TaskCanceledException, e.GetType().Name);
        Assert.Equal(2, server.Requests.Count);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Cancellation_stops_a_request_in_flight()
    {
        await using var server = new ScriptedHttpServer(_ => null);
        var queue = Account(server.Endpoint).Queues.GetQueueClient("hung");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queue.ReceiveMessagesAsync(cancellationToken: cancel.Token));
    }

    [Fact]
    public async Task A_create_only_write_answered_412_reads_as_already_there_too()
    {
        await using var server = new ScriptedHttpServer(_ =>
            new(412, "<Error><Code>ConditionNotMet</Code><Message>The condition specified using HTTP conditional header(s) is not met.</Message></Error>",
                ("Content-Type", "application/xml"), ("x-ms-error-code", "ConditionNotMet")));
        var blob = Account(server.Endpoint).Blobs.GetBlobContainerClient("c1x").GetBlobClient("snapshot.json");

        var e = await Assert.ThrowsAsync<RequestFailedException>(() => BlobCreateOnly.UploadAsync(blob, "x"u8.ToArray(), "application/json", Ct));
        Assert.Equal(BlobErrorCode.ConditionNotMet, e.ErrorCode);
        Assert.True(BlobCreateOnly.AlreadyExists(e));
        Assert.Equal("*", Assert.Single(server.Requests).Headers["If-None-Match"]);
    }

    [Fact]
    public async Task A_wrong_account_key_is_refused_by_the_service_with_403()
    {
        var wrongKey = AccountKey().Replace(storage.ConnectionString, "AccountKey=" + Convert.ToBase64String(new byte[64]));
        Assert.SkipWhen(wrongKey == storage.ConnectionString, "The connection string names no account key to spoil.");
        var table = StorageAccount.FromConnectionString(wrongKey).Tables.GetTableClient(storage.UniqueName("t"));
        var e = await Assert.ThrowsAsync<RequestFailedException>(() => table.CreateIfNotExistsAsync(Ct));
        Assert.Equal(403, e.Status);
    }

    [GeneratedRegex("AccountKey=[^;]*")]
    private static partial Regex AccountKey();
}
