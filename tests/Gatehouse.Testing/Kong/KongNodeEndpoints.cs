using System.Text.Json.Nodes;

namespace Gatehouse.Testing.Kong;

/// <summary>
/// <c>GET /</c> (kong/api/routes/kong.lua) and <c>GET /status</c> (health.lua) of a DB-less Kong
/// node. Runtime numbers (timers, pids, memory) are fixed: only their shape is Kong's.
/// </summary>
internal static class KongNodeEndpoints
{
    public static KongResponse Root(KongNodeOptions node, KongConfigState state)
    {
        var available = new JsonObject();
        foreach (var (name, priority) in node.Plugins.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            available[name] = new JsonObject { ["version"] = node.PluginVersion(name), ["priority"] = priority };
        }
        return new KongResponse(200, new JsonObject
        {
            ["tagline"] = "Welcome to kong",
            ["version"] = node.Version,
            ["edition"] = "community",
            ["hostname"] = node.Hostname,
            ["node_id"] = node.NodeId.ToString("D"),
            ["timers"] = new JsonObject { ["running"] = 0, ["pending"] = 2 },
            ["plugins"] = new JsonObject
            {
                ["available_on_server"] = available,
                ["enabled_in_cluster"] = new JsonArray([.. state.PluginsInUse.Select(name => (JsonNode?)JsonValue.Create(name))]),
            },
            ["lua_version"] = "LuaJIT 2.1.0-20231117",
            ["configuration"] = new JsonObject
            {
                ["database"] = "off",
                ["role"] = "traditional",
                ["admin_listen"] = new JsonArray("127.0.0.1:8001"),
                ["proxy_listen"] = new JsonArray("0.0.0.0:8000", "0.0.0.0:8443 ssl"),
                ["loaded_plugins"] = new JsonObject([.. node.Plugins.Keys.Order(StringComparer.Ordinal).Select(name => KeyValuePair.Create(name, (JsonNode?)true))]),
                ["log_level"] = "notice",
            },
            ["pids"] = new JsonObject { ["master"] = 1, ["workers"] = new JsonArray(2) },
        });
    }

    /// <summary>DB-less Kong drops <c>database</c> from the answer and reports the loaded config's hash instead.</summary>
    public static KongResponse Status(KongConfigState state, long totalRequests) =>
        new(200, new JsonObject
        {
            ["memory"] = new JsonObject
            {
                ["workers_lua_vms"] = new JsonArray(new JsonObject { ["http_allocated_gc"] = "0.02 MiB", ["pid"] = 2 }),
                ["lua_shared_dicts"] = new JsonObject
                {
                    ["kong"] = new JsonObject { ["allocated_slabs"] = "0.04 MiB", ["capacity"] = "5.00 MiB" },
                },
            },
            ["server"] = new JsonObject
            {
                ["total_requests"] = totalRequests,
                ["connections_active"] = 1,
                ["connections_accepted"] = totalRequests,
                ["connections_handled"] = totalRequests,
                ["connections_reading"] = 0,
                ["connections_writing"] = 1,
                ["connections_waiting"] = 0,
            },
            ["configuration_hash"] = state.CurrentHash,
        });
}
