using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Rollouts;
using Gatehouse.Core.Validation;
using Gatehouse.Functions.Documentation;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.Rollouts;

/// <summary>Rollout policies and statuses on the wire, read strictly (every wrong field named).</summary>
internal static class RolloutJson
{
    public const int MaxBakeSeconds = 7 * 24 * 3600;
    public const int MaxNodeIds = 100;

    private static readonly HashSet<string> s_fields = ["canary_labels", "canary_node_ids", "canary_percentage", "bake_time_seconds", "auto_promote"];

    public static RolloutPolicy ReadPolicy(JsonElement body)
    {
        var errors = new List<InvalidParameter>();
        var fields = new JsonFields(body, s_fields, errors);
        var labels = fields.StringMap("canary_labels") ?? [];
        var nodeIds = new List<Guid>();
        if (fields.Array("canary_node_ids") is { } ids)
        {
            var index = 0;
            foreach (var id in ids.EnumerateArray())
            {
                if (id.ValueKind != JsonValueKind.String || !Guid.TryParseExact(id.GetString(), "D", out var nodeId))
                {
                    errors.Add(new InvalidParameter($"canary_node_ids[{index}]", "must be a node id (a UUID)", "is_uuid"));
                }
                else
                {
                    nodeIds.Add(nodeId);
                }
                index++;
            }
            if (index > MaxNodeIds)
            {
                errors.Add(new InvalidParameter("canary_node_ids", $"must not list more than {MaxNodeIds} nodes", "max_items"));
            }
        }
        var percentage = fields.Integer("canary_percentage") ?? 0;
        if (percentage is < 0 or > 100)
        {
            errors.Add(new InvalidParameter("canary_percentage", "must be 0 to 100", "between"));
        }
        var bake = fields.Integer("bake_time_seconds");
        if (bake is null)
        {
            errors.Add(new InvalidParameter("bake_time_seconds", "is required: how long the canaries run a new config before it is promoted", "required"));
        }
        else if (bake is < 0 or > MaxBakeSeconds)
        {
            errors.Add(new InvalidParameter("bake_time_seconds", $"must be 0 to {MaxBakeSeconds}", "between"));
        }
        if (labels.Count == 0 && nodeIds.Count == 0 && percentage == 0 && errors.Count == 0)
        {
            errors.Add(new InvalidParameter("canary_labels", "a policy must choose canaries: canary_labels, canary_node_ids or canary_percentage", "required"));
        }
        var autoPromote = fields.Boolean("auto_promote") ?? true;
        if (errors.Count > 0)
        {
            throw new RequestInvalidException("Invalid rollout policy.", errors);
        }
        return new RolloutPolicy(labels, nodeIds, percentage, TimeSpan.FromSeconds(bake!.Value), autoPromote);
    }

    public static Dictionary<string, object?> Write(RolloutPolicy policy) => new()
    {
        ["canary_labels"] = policy.CanaryLabels,
        ["canary_node_ids"] = policy.CanaryNodeIds.Select(id => id.ToString()).ToList(),
        ["canary_percentage"] = policy.CanaryPercentage,
        ["bake_time_seconds"] = (long)policy.BakeTime.TotalSeconds,
        ["auto_promote"] = policy.AutoPromote,
    };

    public static Dictionary<string, object?> Write(StoredRollout rollout) => new()
    {
        ["state"] = rollout.State.Phase,
        ["stable_config_hash"] = rollout.State.StableHash,
        ["canary_config_hash"] = rollout.State.CanaryHash,
        ["started_at"] = rollout.State.StartedAt.ToUnixTimeSeconds(),
        ["ended_at"] = rollout.State.EndedAt?.ToUnixTimeSeconds(),
        ["promote_at"] = rollout.State.IsBaking && rollout.Policy.AutoPromote ? (rollout.State.StartedAt + rollout.Policy.BakeTime).ToUnixTimeSeconds() : null,
        ["reason"] = rollout.State.Reason,
        ["policy"] = Write(rollout.Policy),
    };

    public static JsonObject PolicySchema => ApiSchemas.Object(new JsonObject
    {
        ["canary_labels"] = new JsonObject
        {
            ["type"] = "object",
            ["additionalProperties"] = new JsonObject { ["type"] = "string" },
            ["description"] = "A node carrying every one of these labels (its sidecar's --labels, Kong's cluster_dp_labels) is a canary.",
        },
        ["canary_node_ids"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string", ["format"] = "uuid" }, ["maxItems"] = MaxNodeIds },
        ["canary_percentage"] = new JsonObject
        {
            ["type"] = "integer",
            ["minimum"] = 0,
            ["maximum"] = 100,
            ["description"] = "This share of nodes, chosen by a hash of the node id (the same nodes every rollout), is a canary.",
        },
        ["bake_time_seconds"] = new JsonObject { ["type"] = "integer", ["minimum"] = 0, ["maximum"] = MaxBakeSeconds },
        ["auto_promote"] = new JsonObject { ["type"] = "boolean", ["description"] = "Promote after the bake time without a failing canary (default true)." },
    });

    public static JsonObject StatusSchema => ApiSchemas.Object(new JsonObject
    {
        ["state"] = new JsonObject
        {
            ["type"] = "string",
            ["enum"] = new JsonArray(RolloutState.Idle, RolloutState.Baking, RolloutState.Promoted, RolloutState.RolledBack, RolloutState.Aborted),
        },
        ["stable_config_hash"] = new JsonObject { ["type"] = "string" },
        ["canary_config_hash"] = new JsonObject { ["type"] = new JsonArray("string", "null") },
        ["started_at"] = new JsonObject { ["type"] = "integer" },
        ["ended_at"] = new JsonObject { ["type"] = new JsonArray("integer", "null") },
        ["promote_at"] = new JsonObject { ["type"] = new JsonArray("integer", "null") },
        ["reason"] = new JsonObject { ["type"] = new JsonArray("string", "null") },
        ["policy"] = PolicySchema,
    });
}
