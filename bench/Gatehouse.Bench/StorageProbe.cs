using System.Diagnostics;
using Azure.Data.Tables;

namespace Gatehouse.Bench;

/// <summary>
/// A point read of a missing row every 50 ms, on its own client, while a run writes: when writes
/// stall and this does too, the storage stalled; when it does not, the app did.
/// </summary>
internal static class StorageProbe
{
    /// <summary>Probes until <paramref name="stop"/>; answers the reads over 100 ms, each with when it started on <paramref name="clock"/>.</summary>
    public static async Task<IReadOnlyList<(double AtSeconds, double Ms)>> RunAsync(BenchStorage storage, Stopwatch clock, CancellationToken stop)
    {
        var table = new TableServiceClient(storage.ConnectionString).GetTableClient("benchprobe");
        await table.CreateIfNotExistsAsync(CancellationToken.None);
        var slow = new List<(double, double)>();
        while (!stop.IsCancellationRequested)
        {
            var at = clock.Elapsed.TotalSeconds;
            var started = Stopwatch.GetTimestamp();
            await table.GetEntityIfExistsAsync<TableEntity>("probe", "missing", cancellationToken: CancellationToken.None);
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (ms > 100)
            {
                slow.Add((at, ms));
            }
            try
            {
                await Task.Delay(50, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return slow;
    }

    /// <summary>What the probe found, in one line.</summary>
    public static string Describe(BenchStorage storage, IReadOnlyList<(double AtSeconds, double Ms)> slow) =>
        slow.Count == 0 ? $"a point read of {storage.Name} every 50 ms never took over 100 ms"
            : $"a point read of {storage.Name} every 50 ms took over 100 ms {slow.Count} times: "
              + string.Join(", ", slow.OrderByDescending(s => s.Ms).Take(8).OrderBy(s => s.AtSeconds).Select(s => $"{s.Ms:F0} ms at {s.AtSeconds:F1} s"));
}
