using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Gatehouse.Azure.Storage;
using Xunit;

namespace Gatehouse.Testing;

/// <summary>
/// Storage for a test assembly: a private Azurite, or the account in <c>GATEHOUSE_TEST_STORAGE</c>
/// (a connection string) so that the same suite can run against real Azure Storage.
/// Tests take unique names from <see cref="UniqueName"/> so they never see each other's data.
/// </summary>
public sealed class StorageFixture : IAsyncLifetime
{
    public const string ConnectionStringVariable = "GATEHOUSE_TEST_STORAGE";

    private AzuriteProcess? _azurite;
    private int _counter;

    /// <summary>The connection string to hand to a process under test.</summary>
    public string ConnectionString { get; private set; } = null!;

    /// <summary>True when tests run against Azurite rather than a real account.</summary>
    public bool IsAzurite => _azurite is not null;

    public async ValueTask InitializeAsync()
    {
        var configured = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            ConnectionString = configured;
            return;
        }
        _azurite = await AzuriteProcess.StartAsync().ConfigureAwait(false);
        ConnectionString = _azurite.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A name no other test in this run uses, valid as a table name (letters and digits) and,
    /// lower-cased, as a container or queue name.
    /// </summary>
    public string UniqueName(string prefix) =>
        $"{prefix}{Environment.ProcessId % 10000}x{Interlocked.Increment(ref _counter)}x{Random.Shared.Next(100000)}";

    /// <summary>The account as the app reaches it: the clients <see cref="StorageAccount"/> builds, with their pinned service versions.</summary>
    public StorageAccount CreateAccount(StorageAccountOptions? options = null) => StorageAccount.FromConnectionString(ConnectionString, options);

    public TableServiceClient CreateTableServiceClient() => CreateAccount().Tables;

    public BlobServiceClient CreateBlobServiceClient() => CreateAccount().Blobs;

    public QueueServiceClient CreateQueueServiceClient() => CreateAccount().Queues;
}
