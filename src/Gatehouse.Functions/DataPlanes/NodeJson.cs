using Gatehouse.Core.DataPlanes;

namespace Gatehouse.Functions.DataPlanes;

/// <summary>
/// Nodes on the wire: Konnect's Node (<c>id, version, hostname, last_ping, type, created_at,
/// updated_at, config_hash, compatibility_status</c>; times in epoch seconds), plus Gatehouse's
/// <c>data_plane_cert_id</c>, <c>config_sync_status</c>, <c>expected_config_hash</c> (its target: during a staged rollout, canary or stable), <c>labels</c> and <c>last_error</c>.
/// </summary>
internal static class NodeJson
{
    public static Dictionary<string, object?> Write(NodeView view) => new()
    {
        ["id"] = view.Node.Id.ToString(),
        ["version"] = view.Node.Version,
        ["hostname"] = view.Node.Hostname,
        ["last_ping"] = view.Node.LastPing.ToUnixTimeSeconds(),
        ["type"] = DataPlaneNode.KongProxy,
        ["created_at"] = view.Node.CreatedAt.ToUnixTimeSeconds(),
        ["updated_at"] = view.Node.UpdatedAt.ToUnixTimeSeconds(),
        ["config_hash"] = view.Node.ConfigHash,
        ["compatibility_status"] = Write(view.Compatibility),
        ["data_plane_cert_id"] = view.Node.CertificateId.ToString(),
        ["config_sync_status"] = view.SyncStatus,
        ["expected_config_hash"] = view.ExpectedConfigHash,
        ["labels"] = view.Node.Labels,
        ["last_error"] = view.Node.LastError is { } error ? new Dictionary<string, object?> { ["message"] = error.Message, ["config_hash"] = error.ConfigHash } : null,
    };

    public static Dictionary<string, object?> Write(CompatibilityStatus status) => new()
    {
        ["state"] = status.State,
        ["issues"] = status.Issues.Select(issue => new Dictionary<string, object?>
        {
            ["code"] = issue.Code,
            ["severity"] = issue.Severity,
            ["description"] = issue.Description,
            ["resolution"] = issue.Resolution,
            ["affected_resources"] = issue.AffectedResources.Select(r => new Dictionary<string, object?> { ["id"] = r.Id, ["type"] = r.Type }).ToList(),
        }).ToList(),
    };
}
