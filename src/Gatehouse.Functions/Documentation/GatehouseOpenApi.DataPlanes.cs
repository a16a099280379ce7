using System.Text.Json.Nodes;
using Gatehouse.Core.DataPlanes;
using Gatehouse.Functions.DataPlanes;

namespace Gatehouse.Functions.Documentation;

/// <summary>Nodes (Konnect's endpoints) and the data plane API (<c>/v1/dp</c>, Gatehouse's own, authenticated by client certificate).</summary>
internal static partial class GatehouseOpenApi
{
    private const string Nodes = "/v2/control-planes/{controlPlaneId}/nodes";

    private static void AddDataPlanes(JsonObject paths, JsonObject schemas)
    {
        schemas["CompatibilityStatus"] = Wrapped(new JsonObject
        {
            ["state"] = new JsonObject
            {
                ["type"] = "string",
                ["enum"] = new JsonArray(CompatibilityStatus.FullyCompatible, CompatibilityStatus.Incompatible, CompatibilityStatus.Unknown),
            },
            ["issues"] = new JsonObject
            {
                ["type"] = "array",
                ["items"] = Wrapped(new JsonObject
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
                        ["items"] = Wrapped(new JsonObject { ["id"] = new JsonObject { ["type"] = "string" }, ["type"] = new JsonObject { ["type"] = "string" } }),
                    },
                }),
            },
        });
        var syncStatus = new JsonObject
        {
            ["type"] = "string",
            ["enum"] = new JsonArray(NodeView.InSync, NodeView.OutOfSync),
            ["description"] = "Whether the node's config_hash is the control plane's expected hash.",
        };
        schemas["DataPlaneNode"] = Wrapped(new JsonObject
        {
            ["id"] = new JsonObject { ["type"] = "string", ["format"] = "uuid" },
            ["version"] = new JsonObject { ["type"] = "string" },
            ["hostname"] = new JsonObject { ["type"] = "string" },
            ["last_ping"] = new JsonObject { ["type"] = "integer", ["description"] = "Unix seconds of the last heartbeat." },
            ["type"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray(DataPlaneNode.KongProxy) },
            ["created_at"] = new JsonObject { ["type"] = "integer" },
            ["updated_at"] = new JsonObject { ["type"] = "integer" },
            ["config_hash"] = new JsonObject { ["type"] = "string" },
            ["compatibility_status"] = DpReference("CompatibilityStatus"),
            ["data_plane_cert_id"] = new JsonObject { ["type"] = "string", ["format"] = "uuid", ["description"] = "Gatehouse: the pinned certificate the node authenticated with." },
            ["config_sync_status"] = syncStatus.DeepClone(),
            ["labels"] = new JsonObject { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "string" } },
            ["last_error"] = new JsonObject
            {
                ["type"] = new JsonArray("object", "null"),
                ["description"] = "Gatehouse: the last error the node reported applying a config.",
                ["properties"] = new JsonObject { ["message"] = new JsonObject { ["type"] = "string" }, ["config_hash"] = new JsonObject { ["type"] = new JsonArray("string", "null") } },
            },
        });
        var version = new JsonObject { ["type"] = "string", ["maxLength"] = HeartbeatJson.MaxVersion, ["examples"] = new JsonArray("3.9.1", "3.9.1.0") };
        var hash = new JsonObject { ["type"] = "string", ["pattern"] = "^[0-9a-f]{32}$" };
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
                ["config_hash"] = hash.DeepClone(),
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
                        ["config_hash"] = hash.DeepClone(),
                    },
                },
            },
        };

        var error = DpReference("LegacyError");
        var tag = "DP Nodes";
        var nodeId = new JsonObject { ["name"] = "nodeId", ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string", ["format"] = "uuid" } };
        paths[Nodes] = new JsonObject
        {
            ["get"] = Operation(tag,
                "List the control plane's data plane nodes, in id order: page[size] (1 to 1000, default 100), page[after] (the previous page's page.next). " +
                "Nodes unseen for Gatehouse__DataPlane__NodeRetentionHours (24) are removed.",
                Responses(("200", "items, page.total_count, and page.next unless this is the last page", Wrapped(new JsonObject
                {
                    ["items"] = new JsonObject { ["type"] = "array", ["items"] = DpReference("DataPlaneNode") },
                    ["page"] = Wrapped(new JsonObject { ["total_count"] = new JsonObject { ["type"] = "integer" }, ["next"] = new JsonObject { ["type"] = "string" } }),
                })), ("400", "Bad page[size] or page[after]", error), ("404", "No such control plane", error))),
            ["parameters"] = new JsonArray(PathParameter("controlPlaneId", "uuid")),
        };
        paths[$"{Nodes}/{{nodeId}}"] = new JsonObject
        {
            ["get"] = Operation(tag, "Get a node, with its compatibility with the current config.",
                Responses(("200", "The node", Wrapped(new JsonObject { ["item"] = DpReference("DataPlaneNode") })), ("404", "Not found", error))),
            ["delete"] = Operation(tag, "Forget a node. It is not banned: its next heartbeat records it again (unpin its certificate to ban it).",
                Responses(("204", "Deleted", null), ("404", "Not found", error))),
            ["parameters"] = new JsonArray(PathParameter("controlPlaneId", "uuid"), nodeId),
        };

        var dataPlane = new JsonArray(new JsonObject { ["dataPlaneCertificate"] = new JsonArray() });
        var refused = ("401", "No client certificate, or one not pinned (deleted, or of a deleted control plane), or expired", error);
        var config = Operation("Data plane API",
            "The current snapshot of the control plane (or group) the client certificate is pinned to. ETag is the config hash; If-None-Match with it answers 304 " +
            "without reading the snapshot. Accept-Encoding br or gzip gets it precompressed. A node that is incompatible (see its heartbeat answer) gets 409.",
            Responses(("200", "Kong declarative configuration (_format_version 3.0)", new JsonObject { ["type"] = "object" }), ("304", "Unchanged", null),
                ("400", "node_id missing or not a UUID, or node_facts_hash malformed", error), refused,
                ("409", "The node cannot run this config", Wrapped(new JsonObject { ["message"] = new JsonObject { ["type"] = "string" }, ["compatibility_status"] = DpReference("CompatibilityStatus") }))),
            secured: false);
        config["security"] = dataPlane.DeepClone();
        config["parameters"] = new JsonArray(
            new JsonObject { ["name"] = "node_id", ["in"] = "query", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string", ["format"] = "uuid" } },
            new JsonObject
            {
                ["name"] = "node_facts_hash",
                ["in"] = "query",
                ["description"] = "Optional: the hash of the Kong version and plugins of the node's last heartbeat: SHA-256 of the compact UTF-8 JSON array " +
                    "[version, name1, version1, name2, version2, ...] (plugins in ordinal order of name, then version; a missing version as null), first 16 bytes in lowercase hex. " +
                    "When it matches what this instance last heard from the node, the node is judged without reading it; one that does not match costs only that read.",
                ["schema"] = hash.DeepClone(),
            },
            new JsonObject { ["name"] = "If-None-Match", ["in"] = "header", ["schema"] = new JsonObject { ["type"] = "string" } });
        paths[$"{DataPlaneEndpoints.Prefix}/config"] = new JsonObject { ["get"] = config };

        var heartbeat = Operation("Data plane API",
            "Record the node (upsert, last_ping = now) and answer what it should run: the expected config hash, whether it runs it, and its compatibility.",
            Responses(("200", "The node's view", Wrapped(new JsonObject
            {
                ["node_id"] = new JsonObject { ["type"] = "string", ["format"] = "uuid" },
                ["expected_config_hash"] = new JsonObject { ["type"] = "string" },
                ["config_sync_status"] = syncStatus.DeepClone(),
                ["compatibility_status"] = DpReference("CompatibilityStatus"),
            })), ("400", "Invalid heartbeat; the message names each field", error), refused, ("413", "Body over 1 MB", error)),
            body: DpReference("Heartbeat"), secured: false);
        heartbeat["security"] = dataPlane.DeepClone();
        paths[$"{DataPlaneEndpoints.Prefix}/heartbeat"] = new JsonObject { ["post"] = heartbeat };

        var negotiate = Operation("Data plane API",
            "SignalR's negotiate redirect: the hub URL and an access token for this control plane's push group (listen only).",
            Responses(("200", "{url, accessToken}", new JsonObject
            {
                ["type"] = "object",
                ["required"] = new JsonArray("url", "accessToken"),
                ["properties"] = new JsonObject
                {
                    ["url"] = new JsonObject { ["type"] = "string", ["format"] = "uri" },
                    ["accessToken"] = new JsonObject { ["type"] = "string" },
                },
            }), ("400", "node_id missing or not a UUID", error), refused), secured: false);
        negotiate["security"] = dataPlane.DeepClone();
        negotiate["parameters"] = new JsonArray(new JsonObject
        {
            ["name"] = "node_id",
            ["in"] = "query",
            ["required"] = true,
            ["schema"] = new JsonObject { ["type"] = "string", ["format"] = "uuid" },
        });
        paths[$"{DataPlaneEndpoints.Prefix}/negotiate"] = new JsonObject { ["post"] = negotiate };
    }
}
