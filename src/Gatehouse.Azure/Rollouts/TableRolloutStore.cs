using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Gatehouse.Azure.Storage;
using Gatehouse.Core.Rollouts;

namespace Gatehouse.Azure.Rollouts;

/// <summary>
/// Rollouts as one row per control plane in the snapshots table, beside its pointer (partition:
/// the control plane; row: <c>rollout</c>): the policy and the state as JSON, written by ETag.
/// </summary>
public sealed class TableRolloutStore(StorageAccount storage, StorageLayout layout) : IRolloutStore
{
    private const string RowKey = "rollout";

    private readonly TableClient _table = storage.Tables.GetTableClient(layout.SnapshotsTable);

    public async Task<StoredRollout?> GetAsync(Guid controlPlane, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(controlPlane.ToString(), RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (row is not { HasValue: true, Value: { } entity })
        {
            return null;
        }
        var policy = JsonSerializer.Deserialize<PolicyRow>(entity.GetString("Policy")!)!;
        var state = JsonSerializer.Deserialize<RolloutState>(entity.GetString("State")!)!;
        return new StoredRollout(
            new RolloutPolicy(policy.Labels, policy.NodeIds, policy.Percentage, TimeSpan.FromSeconds(policy.BakeSeconds), policy.AutoPromote),
            state, entity.ETag.ToString());
    }

    public async Task<string?> TryWriteAsync(Guid controlPlane, RolloutPolicy policy, RolloutState state, string? version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var entity = new TableEntity(controlPlane.ToString(), RowKey)
        {
            ["Policy"] = JsonSerializer.Serialize(new PolicyRow(policy.CanaryLabels, policy.CanaryNodeIds, policy.CanaryPercentage,
                (long)policy.BakeTime.TotalSeconds, policy.AutoPromote)),
            ["State"] = JsonSerializer.Serialize(state),
        };
        try
        {
            var response = version is null
                ? await _table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false)
                : await _table.UpdateEntityAsync(entity, new ETag(version), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return response.Headers.ETag?.ToString();
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
        {
            return null;
        }
    }

    public async Task<bool> DeleteAsync(Guid controlPlane, CancellationToken cancellationToken)
    {
        var response = await _table.DeleteEntityAsync(controlPlane.ToString(), RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.Status != 404;
    }

    private sealed record PolicyRow(IReadOnlyDictionary<string, string> Labels, IReadOnlyList<Guid> NodeIds, int Percentage, long BakeSeconds, bool AutoPromote);
}
