using Azure;
using Azure.Data.Tables;
using Gatehouse.Testing;

namespace Gatehouse.Bench;

/// <summary>
/// The storage a benchmark's app runs on: an Azurite of its own, or the account whose connection
/// string <c>GATEHOUSE_BENCH_STORAGE</c> holds. Issue #16's targets are about Table storage, which
/// finds a row by its keys; Azurite filters a partition row by row, so its figures grow with a
/// partition's size where the real service's do not. Run from a machine in the account's region,
/// against an account of its own: the benchmarks create control planes and leave them there.
/// </summary>
internal sealed class BenchStorage : IAsyncDisposable
{
    public const string Variable = "GATEHOUSE_BENCH_STORAGE";

    private BenchStorage(string connectionString, string name, AzuriteProcess? azurite)
    {
        ConnectionString = connectionString;
        Name = name;
        Azurite = azurite;
    }

    public string ConnectionString { get; }

    /// <summary>What the figures were measured against, as the benchmarks print it.</summary>
    public string Name { get; }

    /// <summary>The Azurite started for the run; null for an account named by <see cref="Variable"/>.</summary>
    public AzuriteProcess? Azurite { get; }

    /// <summary>CPU the storage used, when it runs here: Azurite's, never an account's.</summary>
    public TimeSpan? ProcessorTime => Azurite?.ProcessorTime;

    /// <summary>The account in <see cref="Variable"/> when set, else an Azurite with <paramref name="azuriteMemoryMegabytes"/> for its heap.</summary>
    public static async Task<BenchStorage> StartAsync(int azuriteMemoryMegabytes)
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } connectionString)
        {
            // Reached before the app starts, so a wrong string or an account out of reach fails here, saying where it came from.
            var tables = new TableServiceClient(connectionString);
            try
            {
                await tables.GetTableClient("benchprobe").CreateIfNotExistsAsync();
            }
            catch (Exception e) when (e is RequestFailedException or HttpRequestException or AggregateException)
            {
                throw new InvalidOperationException($"The storage account in {Variable} ({tables.Uri}) could not be reached: {e.Message}", e);
            }
            return new BenchStorage(connectionString, $"storage account {tables.AccountName} ({Variable})", null);
        }
        // More Azurite flags for an investigation, e.g. GATEHOUSE_BENCH_AZURITE_ARGS="--debug /tmp/azurite.log" to see every request it served.
        var extra = Environment.GetEnvironmentVariable("GATEHOUSE_BENCH_AZURITE_ARGS")?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var azurite = await AzuriteProcess.StartAsync(memoryLimitMegabytes: azuriteMemoryMegabytes, extraArguments: extra);
        return new BenchStorage(azurite.ConnectionString, "Azurite", azurite);
    }

    public async ValueTask DisposeAsync()
    {
        if (Azurite is not null)
        {
            await Azurite.DisposeAsync();
        }
    }
}
