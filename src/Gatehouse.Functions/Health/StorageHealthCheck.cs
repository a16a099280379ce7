using Gatehouse.Azure.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gatehouse.Functions.Health;

/// <summary>
/// Healthy when all three storage services answer a one-item listing within the probe timeout:
/// the cheapest request that proves the address, the credential and the service.
/// </summary>
internal sealed class StorageHealthCheck(StorageAccount storage, ILogger<StorageHealthCheck> logger) : IHealthCheck
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_timeout);
        var token = timeout.Token;

        var probes = new (string Service, Task Probe)[]
        {
            ("tables", FirstPageAsync(storage.Tables.QueryAsync(maxPerPage: 1, cancellationToken: token))),
            ("blobs", FirstPageAsync(storage.Blobs.GetBlobContainersAsync(cancellationToken: token))),
            ("queues", FirstPageAsync(storage.Queues.GetQueuesAsync(cancellationToken: token))),
        };

        var data = new Dictionary<string, object>();
        var failures = new List<string>();
        foreach (var (service, probe) in probes)
        {
            try
            {
                await probe.ConfigureAwait(false);
                data[service] = "reachable";
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var reason = e is OperationCanceledException ? $"no answer within {s_timeout.TotalSeconds:0} s" : e.Message.Split('\n')[0];
                data[service] = reason;
                failures.Add(service);
                logger.LogWarning(e, "Storage health probe of {Service} failed: {Reason}", service, reason);
            }
        }

        return failures.Count == 0
            ? HealthCheckResult.Healthy("Storage is reachable.", data)
            : HealthCheckResult.Unhealthy($"Storage is not reachable: {string.Join(", ", failures)}.", data: data);
    }

    private static async Task FirstPageAsync<T>(global::Azure.AsyncPageable<T> pageable)
        where T : notnull
    {
        await foreach (var _ in pageable.AsPages(pageSizeHint: 1).ConfigureAwait(false))
        {
            return;
        }
    }
}
