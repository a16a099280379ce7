using System.Security.Cryptography;
using Gatehouse.Core.DataPlanes;

namespace Gatehouse.Core.Rollouts;

/// <summary>
/// How a control plane rolls a new config out: to its canary nodes first, for <see cref="BakeTime"/>,
/// then (unless <see cref="AutoPromote"/> is off) to every node. A node is a canary when any of the
/// selectors takes it: it carries every label of <see cref="CanaryLabels"/> (as its sidecar reports
/// them, Kong's <c>cluster_dp_labels</c>), its id is in <see cref="CanaryNodeIds"/>, or it falls in the
/// first <see cref="CanaryPercentage"/> of 100 buckets of its id's hash — the same nodes every time,
/// whichever instance asks.
/// </summary>
public sealed record RolloutPolicy(
    IReadOnlyDictionary<string, string> CanaryLabels, IReadOnlyList<Guid> CanaryNodeIds, int CanaryPercentage, TimeSpan BakeTime, bool AutoPromote)
{
    public bool IsCanary(DataPlaneNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return (CanaryLabels.Count > 0 && CanaryLabels.All(l => node.Labels.TryGetValue(l.Key, out var value) && value == l.Value))
            || CanaryNodeIds.Contains(node.Id)
            || Bucket(node.Id) < CanaryPercentage;
    }

    /// <summary>0 to 99, from the node id alone, so a node stays in or out of the percentage across rollouts.</summary>
    public static int Bucket(Guid nodeId) =>
        (int)(BitConverter.ToUInt32(SHA256.HashData(nodeId.ToByteArray()), 0) % 100);
}
