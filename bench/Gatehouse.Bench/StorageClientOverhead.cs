using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Gatehouse.Azure.Storage;
using Gatehouse.Azure.Tables;
using Gatehouse.Testing;

namespace Gatehouse.Bench;

/// <summary>
/// Time per Table insert and per Blob put/get through the official clients, as
/// <see cref="StorageAccount"/> configures them, against the same request sent with a bare,
/// hand-signed HttpClient, on one Azurite, in one run. Rounds alternate between the
/// two so that drift in Azurite (its in-memory tables grow) is shared fairly. The CPU columns are
/// this process's CPU time per operation (thread-pool spinning included), Azurite's excluded.
/// </summary>
internal static class StorageClientOverhead
{
    public static async Task RunAsync(string[] args)
    {
        var operations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 4000;
        const int rounds = 20;
        var perRound = Math.Max(1, operations / rounds);

        await using var azurite = await AzuriteProcess.StartAsync(memoryLimitMegabytes: 1024);
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(10) });
        var raw = new RawStorageRequests(http, AzuriteProcess.AccountName, Convert.FromBase64String(AzuriteProcess.AccountKey));

        var account = StorageAccount.FromConnectionString(azurite.ConnectionString);
        var table = account.Tables.GetTableClient("benchinserts");
        await table.CreateIfNotExistsAsync();
        var container = account.Blobs.GetBlobContainerClient("bench");
        await container.CreateIfNotExistsAsync();
        var blob = container.GetBlobClient("snapshots/cp/config.json");
        var payload = BinaryData.FromBytes(new byte[16 * 1024]);
        // What the raw put sends: the whole blob, replacing any, as JSON.
        var put = new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } };
        await blob.UploadAsync(payload, put);

        var row = 0;
        TableEntity NextEntity() => new("bench", $"{Interlocked.Increment(ref row):D9}") { ["Name"] = "orders", ["Port"] = 8080, ["Revision"] = 42L };
        var json = (TableEntity e) => System.Text.Encoding.UTF8.GetBytes(
            $"{{\"PartitionKey\":\"{e.PartitionKey}\",\"RowKey\":\"{e.RowKey}\",\"Name\":\"orders\",\"Port\":8080,\"Revision\":\"42\",\"Revision@odata.type\":\"Edm.Int64\"}}");

        // A control plane's partition as the entity store lays it out: 100 entity rows, each a JSON body in B0.
        const string partition = "cp";
        var entities = account.Tables.GetTableClient("benchentities");
        await entities.CreateIfNotExistsAsync();
        for (var i = 0; i < 100; i++)
        {
            await entities.UpsertEntityAsync(new TableEntity(partition, $"e|services|{Guid.NewGuid()}")
            {
                ["B0"] = $"{{\"id\":\"{Guid.NewGuid()}\",\"name\":\"service-{i}\",\"host\":\"orders.internal\",\"port\":8080,\"protocol\":\"http\",\"retries\":5,\"tags\":[\"team-a\"]}}",
            });
        }
        var range = TableFilter.InPartitionStartingWith(partition, "e|");
        async Task QueryWithClient()
        {
            await foreach (var entity in entities.QueryAsync<TableEntity>(range))
            {
                System.Text.Json.Nodes.JsonNode.Parse(entity.GetString("B0"));
            }
        }

        var cases = new (string Name, Func<Task> Ours, Func<Task> Raw)[]
        {
            ("Table insert", () => table.AddEntityAsync(NextEntity()), () => raw.InsertEntityAsync(azurite.TableEndpoint, table.Name, json(NextEntity()))),
            ("Blob put 16 KiB", () => blob.UploadAsync(payload, put), () => raw.PutBlobAsync(blob.Uri, payload.ToArray())),
            ("Blob get 16 KiB", () => blob.DownloadContentAsync(), () => raw.GetBlobAsync(blob.Uri)),
            ("Table query 100", QueryWithClient, () => raw.QueryPartitionAsync(azurite.TableEndpoint, entities.Name, range)),
        };

        Console.WriteLine($"Storage client overhead against Azurite: {perRound * rounds} operations per case, {rounds} alternating rounds, sequential.");
        Console.WriteLine();
        Console.WriteLine($"{"operation",-18} {"SDK µs/op",12} {"raw µs/op",12} {"ratio",7} {"SDK CPU µs/op",16} {"raw CPU µs/op",15}");
        foreach (var (name, ours, rawOperation) in cases)
        {
            // Warm up connections, JIT and Azurite's code paths on both sides.
            for (var i = 0; i < 200; i++)
            {
                await ours();
                await rawOperation();
            }
            var (oursTime, oursCpu, rawTime, rawCpu) = (TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);
            for (var round = 0; round < rounds; round++)
            {
                var (wall, cpu) = await TimeAsync(ours, perRound);
                (oursTime, oursCpu) = (oursTime + wall, oursCpu + cpu);
                (wall, cpu) = await TimeAsync(rawOperation, perRound);
                (rawTime, rawCpu) = (rawTime + wall, rawCpu + cpu);
            }
            double PerOp(TimeSpan t) => t.TotalMicroseconds / (perRound * rounds);
            Console.WriteLine(
                $"{name,-18} {PerOp(oursTime),12:F1} {PerOp(rawTime),12:F1} {PerOp(oursTime) / PerOp(rawTime),6:F2}x {PerOp(oursCpu),16:F1} {PerOp(rawCpu),15:F1}");
        }
    }

    /// <summary>Wall time, and this process's CPU time (the client's own cost; Azurite is another process).</summary>
    private static async Task<(TimeSpan Wall, TimeSpan Cpu)> TimeAsync(Func<Task> operation, int count)
    {
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await operation();
        }
        var wall = clock.Elapsed;
        return (wall, Process.GetCurrentProcess().TotalProcessorTime - cpuBefore);
    }
}
