using System.Text.Json.Nodes;
using Gatehouse.Core.DataPlanes;
using Gatehouse.Functions.DataPlanes;

namespace Gatehouse.Functions.Documentation;

/// <summary>The bodies and parameters of the node endpoints (Konnect's) and the data plane API (<c>/v1/dp</c>, Gatehouse's own).</summary>
internal static class DataPlaneSchemas
{
    /// <summary>Why the data plane API refuses a caller: its 401.</summary>
    public const string Refused = "No client certificate, or one not pinned (deleted, or of a deleted control plane), or expired";

    /// <summary>The node list: <c>items</c>, <c>page.total_count</c> and <c>page.next</c>.</summary>
    public static JsonObject NodePage => ApiSchemas.Object(new JsonObject
    {
        ["items"] = new JsonObject { ["type"] = "array", ["items"] = ApiSchemas.Ref("DataPlaneNode") },
        ["page"] = ApiSchemas.Object(new JsonObject { ["total_count"] = new JsonObject { ["type"] = "integer" }, ["next"] = new JsonObject { ["type"] = "string" } }),
    });

    /// <summary><c>{"item": node}</c>.</summary>
    public static JsonObject NodeItem => ApiSchemas.Object(new JsonObject { ["item"] = ApiSchemas.Ref("DataPlaneNode") });

    /// <summary>The 409 of <c>/v1/dp/config</c>: why the node cannot run the config.</summary>
    public static JsonObject Incompatible => ApiSchemas.Object(new JsonObject
    {
        ["message"] = new JsonObject { ["type"] = "string" },
        ["compatibility_status"] = ApiSchemas.Ref("CompatibilityStatus"),
    });

    /// <summary>What a heartbeat is answered: what the node should run.</summary>
    public static JsonObject HeartbeatAnswer => ApiSchemas.Object(new JsonObject
    {
        ["node_id"] = new JsonObject { ["type"] = "string", ["format"] = "uuid" },
        ["expected_config_hash"] = new JsonObject { ["type"] = "string" },
        ["config_sync_status"] = SyncStatus,
        ["compatibility_status"] = ApiSchemas.Ref("CompatibilityStatus"),
    });

    /// <summary>SignalR's negotiate redirect.</summary>
    public static JsonObject NegotiateAnswer => new()
    {
        ["type"] = "object",
        ["required"] = new JsonArray("url", "accessToken"),
        ["properties"] = new JsonObject
        {
            ["url"] = new JsonObject { ["type"] = "string", ["format"] = "uri" },
            ["accessToken"] = new JsonObject { ["type"] = "string" },
        },
    };

    /// <summary><c>?node_id=</c>: which node asks.</summary>
    public static JsonObject NodeIdQuery => ApiSchemas.Query("node_id", new JsonObject { ["type"] = "string", ["format"] = "uuid" }, required: true);

    /// <summary><c>?node_facts_hash=</c>: lets the config be judged without reading the node.</summary>
    public static JsonObject NodeFactsHashQuery => ApiSchemas.Query("node_facts_hash", Hash, required: false,
        "Optional: the hash of the Kong version and plugins of the node's last heartbeat: SHA-256 of the compact UTF-8 JSON array " +
        "[version, name1, version1, name2, version2, ...] (plugins in ordinal order of name, then version; a missing version as null), first 16 bytes in lowercase hex. " +
        "When it matches what this instance last heard from the node, the node is judged without reading it; one that does not match costs only that read.");

    public static JsonObject IfNoneMatchHeader => new() { ["name"] = "If-None-Match", ["in"] = "header", ["schema"] = new JsonObject { ["type"] = "string" } };

    private static JsonObject SyncStatus => new()
    {
        ["type"] = "string",
        ["enum"] = new JsonArray(NodeView.InSync, NodeView.OutOfSync),
        ["description"] = "Whether the node's config_hash is the control plane's expected hash.",
    };

    private static JsonObject Hash => new() { ["type"] = "string", ["pattern"] = "^[0-9a-f]{32}$" };

    public static void AddComponents(JsonObject schemas)
    {
        schemas["CompatibilityStatus"] = ApiSchemas.Object(new JsonObject
        {
            ["state"] = new JsonObject
            {
                ["type"] = "string",
                ["enum"] = new JsonArray(CompatibilityStatus.FullyCompatible, CompatibilityStatus.Incompatible, CompatibilityStatus.Unknown),
            },
            ["issues"] = new JsonObject
            {
                ["type"] = "array",
                ["items"] = ApiSchemas.Object(new JsonObject
                {
                    ["code"] = new JsonObject
                    {
                        ["type"] = "string",
                        ["description"] = "Kong's sync_status name for the failure.",
                        ["enum"] = new JsonArray(NodeCompatibility.KongVersionIncompatible, NodeCompatibility.PluginSetIncompatible, NodeCompatibility.PluginVersionIncompatible),
                    },
                    ["severity"] = new JsonObject { ["type"] = "string" },
                    ["description"] = new JsonObject { ["type"] = "string" },
                    ["resolution"] = new JsonObject { ["type"] = "string" },
                    ["affected_resources"] = new JsonObject
                    {
                        ["type"] = "array",
                        ["items"] = ApiSchemas.Object(new JsonObject { ["id"] = new JsonObject { ["type"] = "string" }, ["type"] = new JsonObject { ["type"] = "string" } }),
                    },
                }),
            },
        });
        schemas["DataPlaneNode"] = ApiSchemas.Object(new JsonObject
        {
            ["id"] = new JsonObject { ["type"] = "string", ["format"] = "uuid" },
            ["version"] = new JsonObject { ["type"] = "string" },
            ["hostname"] = new JsonObject { ["type"] = "string" },
            ["last_ping"] = new JsonObject { ["type"] = "integer", ["description"] = "Unix seconds of the last heartbeat." },
            ["type"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray(DataPlaneNode.KongProxy) },
            ["created_at"] = new JsonObject { ["type"] = "integer" },
            ["updated_at"] = new JsonObject { ["type"] = "integer" },
            ["config_hash"] = new JsonObject { ["type"] = "string" },
            ["compatibility_status"] = ApiSchemas.Ref("CompatibilityStatus"),
            ["data_plane_cert_id"] = new JsonObject { ["type"] = "string", ["format"] = "uuid", ["description"] = "Gatehouse: the pinned certificate the node authenticated with." },
            ["config_sync_status"] = SyncStatus,
            ["expected_config_hash"] = new JsonObject { ["type"] = "string", ["description"] = "Gatehouse: the config the node is served; during a staged rollout, the canary or the stable one." },
            ["labels"] = new JsonObject { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "string" } },
            ["last_error"] = new JsonObject
            {
                ["type"] = new JsonArray("object", "null"),
                ["description"] = "Gatehouse: the last error the node reported applying a config.",
                ["properties"] = new JsonObject { ["message"] = new JsonObject { ["type"] = "string" }, ["config_hash"] = new JsonObject { ["type"] = new JsonArray("string", "null") } },
            },
        });
        var version = new JsonObject { ["type"] = "string", ["maxLength"] = HeartbeatJson.MaxVersion, ["examples"] = new JsonArray("3.9.1", "3.9.1.0") };
        schemas["Heartbeat"] = new JsonObject
        {
            ["type"] = "object",
            ["required"] = new JsonArray("node_id", "hostname", "version"),
            ["additionalProperties"] = false,
            ["properties"] = new JsonObject
            {
                ["node_id"] = new JsonObject { ["type"] = "string", ["format"] = "uuid", ["description"] = "Stable per node; the same id goes in GET /v1/dp/config?node_id=." },
                ["hostname"] = new JsonObject { ["type"] = "string", ["minLength"] = 1, ["maxLength"] = HeartbeatJson.MaxHostname },
                ["version"] = version.DeepClone(),
                ["plugins"] = new JsonObject
                {
                    ["type"] = "array",
                    ["maxItems"] = HeartbeatJson.MaxPlugins,
                    ["items"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["required"] = new JsonArray("name"),
                        ["additionalProperties"] = false,
                        ["properties"] = new JsonObject
                        {
                            ["name"] = new JsonObject { ["type"] = "string", ["maxLength"] = HeartbeatJson.MaxPluginName },
                            ["version"] = version.DeepClone(),
                        },
                    },
                },
                ["metrics"] = AnalyticsSchemas.HeartbeatMetrics,
                ["config_hash"] = Hash,
                ["labels"] = new JsonObject
                {
                    ["type"] = "object",
                    ["maxProperties"] = HeartbeatJson.MaxLabels,
                    ["additionalProperties"] = new JsonObject { ["type"] = "string", ["maxLength"] = HeartbeatJson.MaxLabelText },
                },
                ["error"] = new JsonObject
                {
                    ["type"] = "object",
                    ["description"] = "The node's Kong refused a config: what it said, and which config.",
                    ["required"] = new JsonArray("message"),
                    ["properties"] = new JsonObject
                    {
                        ["message"] = new JsonObject { ["type"] = "string", ["maxLength"] = HeartbeatJson.MaxErrorMessage },
                        ["config_hash"] = Hash,
                    },
                },
            },
        };
    }
}
