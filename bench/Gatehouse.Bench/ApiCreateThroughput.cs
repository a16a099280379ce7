using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using Gatehouse.Azure.Storage;

namespace Gatehouse.Bench;

/// <summary>
/// Entity creates per second through the management API (HTTP, validation, constraint reads,
/// one transaction with indexes and the revision bump) against raw Table inserts, on one
/// Azurite in one run. Writes to one control plane serialize on its revision; writes to
/// different control planes do not, so both are measured.
/// </summary>
internal static class ApiCreateThroughput
{
    public static async Task RunAsync(string[] args)
    {
        var perCase = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 400;
        await using var bench = await BenchApp.StartAsync(1024);
        var http = bench.Http;

        var controlPlanes = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            using var created = await http.PostAsync("/v2/control-planes", JsonBody.Of($$"""{"name":"bench-{{i}}"}"""));
            var body = await created.Content.ReadAsStringAsync();
            controlPlanes.Add(System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!);
        }

        var table = StorageAccount.FromConnectionString(bench.Storage.ConnectionString).Tables.GetTableClient("benchraw");
        await table.CreateIfNotExistsAsync();

        var counter = 0;
        Task ApiCreate(string cp) => Send(http, $"/v2/control-planes/{cp}/core-entities/services",
            $$"""{"name":"svc-{{Interlocked.Increment(ref counter)}}","host":"backend.internal","tags":["bench"]}""");
        Task RawInsert(int writer) => table.AddEntityAsync(new TableEntity($"p{writer}", $"{Interlocked.Increment(ref counter):D9}")
        {
            ["Body"] = """{"name":"svc","host":"backend.internal","port":80,"protocol":"http","retries":5}""",
        });

        // The rows an entity create commits, as Table storage sees them: the entity, one unique index
        // row, the change row, the audit entry kept with it and the revision, in one entity-group
        // transaction; without the audit entry, the fewest rows issue #16's create can commit.
        Task RawCommit(string partition, bool keepsAuditEntry)
        {
            var n = Interlocked.Increment(ref counter);
            List<TableTransactionAction> rows =
            [
                new(TableTransactionActionType.Add, new TableEntity(partition, $"e|services|{n:D9}") { ["B0"] = ServiceBody }),
                new(TableTransactionActionType.Add, new TableEntity(partition, $"u|services|name|svc-{n}") { ["Id"] = $"{n:D9}" }),
                new(TableTransactionActionType.Add, new TableEntity(partition, $"c|{n:D19}") { ["Changes"] = $"+services/{n:D9}" }),
            ];
            if (keepsAuditEntry)
            {
                rows.Add(new(TableTransactionActionType.UpsertReplace, new TableEntity(partition, $"a|{n:D9}") { ["Entry"] = AuditEntry }));
            }
            rows.Add(new(TableTransactionActionType.UpsertReplace, new TableEntity(partition, "rev") { ["Revision"] = (long)n }));
            return table.SubmitTransactionAsync(rows);
        }
        Task RawTransaction(int writer) => RawCommit($"t{writer}", keepsAuditEntry: true);
        Task RawIssueTransaction(int writer) => RawCommit($"m{writer}", keepsAuditEntry: false);

        // Warm up every path.
        await RunAsync(20, 1, w => ApiCreate(controlPlanes[0]));
        await RunAsync(20, 1, RawInsert);
        await RunAsync(20, 1, RawTransaction);
        await RunAsync(20, 1, RawIssueTransaction);

        Console.WriteLine($"Entity creates against {bench.Storage.Name}, {perCase} per case (service bodies, ~200 bytes).");
        Console.WriteLine();
        Console.WriteLine($"{"case",-46} {"ops/s",9} {"p50 ms",8} {"p99 ms",8}");
        var (rawSequential, rawP50) = await Report("raw Table insert, 1 writer", perCase, 1, RawInsert);
        var (transactionSequential, _) = await Report("raw 5-row transaction, 1 writer", perCase, 1, RawTransaction);
        var (_, issueP50) = await Report("raw 4-row transaction, 1 writer", perCase, 1, RawIssueTransaction);
        var (apiSequential, apiP50) = await Report("API create, 1 writer, 1 control plane", perCase, 1, _ => ApiCreate(controlPlanes[1]));
        var (rawParallel, _) = await Report("raw Table insert, 8 writers", perCase, 8, RawInsert);
        await Report("API create, 8 writers, 1 control plane", perCase, 8, _ => ApiCreate(controlPlanes[2]));
        var (apiParallel, _) = await Report("API create, 8 writers, 8 control planes", perCase, 8, w => ApiCreate(controlPlanes[w]));
        Console.WriteLine();
        Console.WriteLine($"API/raw throughput, 1 writer: {apiSequential / rawSequential:F2}   8 writers on 8 control planes: {apiParallel / rawParallel:F2}");
        Console.WriteLine($"Raw insert / raw 5-row transaction throughput, 1 writer: {rawSequential / transactionSequential:F2} (the transaction is the floor an API create's one commit can reach)");
        // Issue #16 asks for an API create p50 within 1.5x a raw insert's; its own rows set a floor under that.
        Console.WriteLine($"p50 against a raw insert's, 1 writer: API create {apiP50 / rawP50:F2}x, the 4-row transaction alone {issueP50 / rawP50:F2}x " +
            $"(entity, unique index, change, revision: the fewest rows issue #16's one commit can hold; its target is 1.5x)");
    }

    private static async Task<(double Rate, double P50)> Report(string name, int operations, int writers, Func<int, Task> operation)
    {
        var (rate, latencies) = await RunAsync(operations, writers, operation);
        latencies.Sort();
        var p50 = Percentile.Of(latencies, 0.50);
        Console.WriteLine($"{name,-46} {rate,9:F0} {p50,8:F1} {Percentile.Of(latencies, 0.99),8:F1}");
        return (rate, p50);
    }

    private static async Task<(double Rate, List<double> Latencies)> RunAsync(int operations, int writers, Func<int, Task> operation)
    {
        var latencies = new List<double>(operations);
        var remaining = operations;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(async writer =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                var start = Stopwatch.GetTimestamp();
                await operation(writer);
                var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                lock (latencies)
                {
                    latencies.Add(elapsed);
                }
            }
        }));
        return (operations / clock.Elapsed.TotalSeconds, latencies);
    }

    private static async Task Send(HttpClient http, string path, string json)
    {
        using var response = await http.PostAsync(path, JsonBody.Of(json));
        if ((int)response.StatusCode != 201)
        {
            throw new InvalidOperationException($"create answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>A service as the entities table stores it, about 200 bytes.</summary>
    internal const string ServiceBody = """{"id":"4a9f5f5e-8f5b-4a63-9f4e-4f1d1c7f7b10","name":"svc","host":"backend.internal","port":80,"protocol":"http","retries":5,"connect_timeout":60000,"read_timeout":60000,"write_timeout":60000,"enabled":true,"tags":["bench"]}""";

    private const string AuditEntry = """{"method":"POST","target":"/v2/control-planes/x/core-entities/services","principal":"admin","status":201}""";

}
