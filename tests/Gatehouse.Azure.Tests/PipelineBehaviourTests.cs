using System.Diagnostics;
using Azure;
using Azure.Core;
using Azure.Data.Tables;
using Gatehouse.Azure.Blobs;
using Gatehouse.Azure.Storage;
using Gatehouse.Testing;

namespace Gatehouse.Azure.Tests;

/// <summary>Retries, timeouts, cancellation and signing: what the Azure.Core pipeline gives every client.</summary>
public sealed class PipelineBehaviourTests(StorageFixture storage)
{
    private static readonly StorageSharedKeyCredential s_key =
        new(StorageConnectionString.DevelopmentAccountName, StorageConnectionString.DevelopmentAccountKey);

    /// <summary>All three services at one endpoint, signed with Azurite's well-known key.</summary>
    private static string ConnectionString(Uri endpoint) =>
        $"DefaultEndpointsProtocol=http;AccountName={StorageConnectionString.DevelopmentAccountName};AccountKey={StorageConnectionString.DevelopmentAccountKey};" +
        $"BlobEndpoint={endpoint};QueueEndpoint={endpoint};TableEndpoint={endpoint};";

    private static TOptions Fast<TOptions>(TOptions options, int maxRetries = 3, double networkTimeoutSeconds = 10)
        where TOptions : ClientOptions
    {
        options.Retry.MaxRetries = maxRetries;
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(50);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(networkTimeoutSeconds);
        return options;
    }

    [Fact]
    public async Task Transient_503s_are_retried_until_the_service_answers()
    {
        var attempts = 0;
        await using var server = new ScriptedHttpServer(_ => Interlocked.Increment(ref attempts) <= 2
            ? new(503, "<Error><Code>ServerBusy</Code><Message>busy</Message></Error>", ("Content-Type", "application/xml"))
            : new(201, "", ("ETag", "\"0x1\""), ("Last-Modified", "Sat, 21 Nov 2026 10:00:00 GMT")));
        var blob = new BlobServiceClient(server.Endpoint, s_key, Fast(new BlobClientOptions()))
            .GetBlobContainerClient("c1x").GetBlobClient("b");

        var result = await blob.UploadAsync(BinaryData.FromString("x"), overwrite: true, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(3, attempts);
        Assert.Equal(new ETag("0x1"), result.Value.ETag);
        // Each attempt is dated and signed afresh.
        Assert.All(server.Requests, r => Assert.StartsWith("SharedKey devstoreaccount1:", r.Headers["Authorization"]));
        Assert.All(server.Requests, r => Assert.True(r.Headers.ContainsKey("x-ms-date")));
    }

    [Fact]
    public async Task Errors_that_retries_cannot_fix_fail_at_once_with_the_code_and_message()
    {
        await using var server = new ScriptedHttpServer(_ =>
            new(403, "<?xml version=\"1.0\"?><Error><Code>AuthorizationFailure</Code><Message>This request is not authorized.</Message></Error>",
                ("Content-Type", "application/xml"), ("x-ms-error-code", "AuthorizationFailure")));
        var blob = new BlobServiceClient(server.Endpoint, s_key, Fast(new BlobClientOptions()))
            .GetBlobContainerClient("c1x").GetBlobClient("b");

        var e = await Assert.ThrowsAsync<RequestFailedException>(() => blob.DownloadContentAsync(cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(403, e.Status);
        Assert.Equal("AuthorizationFailure", e.ErrorCode);
        Assert.Contains("This request is not authorized.", e.Message);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_hung_service_fails_after_the_network_timeout_instead_of_hanging()
    {
        await using var server = new ScriptedHttpServer(_ => null);
        var options = new StorageAccountOptions();
        Fast(options.Tables, maxRetries: 1, networkTimeoutSeconds: 0.5);
        var table = StorageAccount.FromConnectionString(ConnectionString(server.Endpoint), options).Tables.GetTableClient("hung");

        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAnyAsync<Exception>(() =>
            table.GetEntityAsync<TableEntity>("p", "r", cancellationToken: TestContext.Current.CancellationToken));
        clock.Stop();

        Assert.True(e is RequestFailedException or AggregateException or TaskCanceledException, e.GetType().Name);
        Assert.Equal(2, server.Requests.Count);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Cancellation_stops_a_request_in_flight()
    {
        await using var server = new ScriptedHttpServer(_ => null);
        var queue = new Gatehouse.Azure.Queues.QueueServiceClient(server.Endpoint, s_key, Fast(new Gatehouse.Azure.Queues.QueueClientOptions()))
            .GetQueueClient("hung");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queue.ReceiveMessagesAsync(cancellationToken: cancel.Token));
    }

    [Fact]
    public async Task A_create_only_put_answered_412_reads_as_already_exists_too()
    {
        await using var server = new ScriptedHttpServer(_ =>
            new(412, "<Error><Code>ConditionNotMet</Code><Message>The condition specified using HTTP conditional header(s) is not met.</Message></Error>",
                ("Content-Type", "application/xml"), ("x-ms-error-code", "ConditionNotMet")));
        var blob = new BlobServiceClient(server.Endpoint, s_key, Fast(new BlobClientOptions()))
            .GetBlobContainerClient("c1x").GetBlobClient("snapshot.json");

        var e = await Assert.ThrowsAsync<RequestFailedException>(() =>
            blob.UploadAsync(BinaryData.FromString("x"), cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(412, e.Status);
        Assert.Equal(BlobErrorCode.BlobAlreadyExists, e.ErrorCode);
        Assert.Equal("*", Assert.Single(server.Requests).Headers["If-None-Match"]);
    }

    [Fact]
    public async Task A_wrong_account_key_is_refused_by_the_service_with_403()
    {
        var wrongKey = storage.ConnectionString.Replace(StorageConnectionString.DevelopmentAccountKey, Convert.ToBase64String(new byte[64]), StringComparison.Ordinal);
        Assert.NotEqual(storage.ConnectionString, wrongKey);
        var table = StorageAccount.FromConnectionString(wrongKey).Tables.GetTableClient(storage.UniqueName("t"));
        var e = await Assert.ThrowsAsync<RequestFailedException>(() => table.CreateIfNotExistsAsync(TestContext.Current.CancellationToken));
        Assert.Equal(403, e.Status);
    }

    [Fact]
    public async Task A_rotated_key_takes_effect_without_a_new_client()
    {
        var credential = new StorageSharedKeyCredential(StorageConnectionString.DevelopmentAccountName, Convert.ToBase64String(new byte[64]));
        var container = new BlobServiceClient(storage.Connection.BlobEndpoint, credential, Fast(new BlobClientOptions()))
            .GetBlobContainerClient(storage.UniqueName("c").ToLowerInvariant());
        var ct = TestContext.Current.CancellationToken;
        await Assert.ThrowsAsync<RequestFailedException>(() => container.CreateIfNotExistsAsync(ct));

        credential.SetAccountKey(StorageConnectionString.DevelopmentAccountKey);
        Assert.True((await container.CreateIfNotExistsAsync(ct)).Value);
    }
}
