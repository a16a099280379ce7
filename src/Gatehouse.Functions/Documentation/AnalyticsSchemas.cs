using System.Text.Json.Nodes;
using Gatehouse.Core.Analytics;

namespace Gatehouse.Functions.Documentation;

/// <summary>The analytics answer, and the <c>metrics</c> a heartbeat may carry.</summary>
internal static class AnalyticsSchemas
{
    private static JsonObject Integer => new() { ["type"] = "integer", ["minimum"] = 0 };

    private static JsonObject Figures => ApiSchemas.Object(new JsonObject
    {
        ["requests"] = Integer,
        ["status_classes"] = ApiSchemas.Object(new JsonObject([.. StatusClass.All.Select(c => KeyValuePair.Create(c, (JsonNode?)Integer))])),
        ["error_rate_4xx"] = new JsonObject { ["type"] = "number", ["minimum"] = 0, ["maximum"] = 1 },
        ["error_rate_5xx"] = new JsonObject { ["type"] = "number", ["minimum"] = 0, ["maximum"] = 1 },
        ["latency_p95_ms"] = new JsonObject { ["type"] = new JsonArray("number", "null") },
        ["latency_observations"] = Integer,
    });

    public static JsonObject Answer => ApiSchemas.Object(new JsonObject
    {
        ["control_plane_id"] = new JsonObject { ["type"] = "string", ["format"] = "uuid" },
        ["node_id"] = new JsonObject { ["type"] = new JsonArray("string", "null"), ["format"] = "uuid" },
        ["granularity"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("minute", "hour", "day") },
        ["from"] = new JsonObject { ["type"] = "string", ["format"] = "date-time" },
        ["to"] = new JsonObject { ["type"] = "string", ["format"] = "date-time" },
        ["total"] = Figures,
        ["data"] = new JsonObject
        {
            ["type"] = "array",
            ["items"] = ApiSchemas.Object(new JsonObject
            {
                ["timestamp"] = new JsonObject { ["type"] = "string", ["format"] = "date-time" },
                ["figures"] = Figures,
                ["services"] = new JsonObject
                {
                    ["type"] = "array",
                    ["items"] = ApiSchemas.Object(new JsonObject { ["name"] = new JsonObject { ["type"] = "string" }, ["figures"] = Figures }),
                },
            }),
        },
    });

    /// <summary>The heartbeat's optional <c>metrics</c>: the traffic since the node's last acknowledged report.</summary>
    public static JsonObject HeartbeatMetrics => new()
    {
        ["type"] = "object",
        ["description"] = "Optional (sidecars before analytics send none). The node's traffic since its last acknowledged report, read from Kong's Prometheus " +
            "metrics. Stored once per node and sequence: a heartbeat sent again with the same sequence replaces its own report.",
        ["required"] = new JsonArray("sequence", "at", "services"),
        ["additionalProperties"] = false,
        ["properties"] = new JsonObject
        {
            ["sequence"] = new JsonObject { ["type"] = "integer", ["minimum"] = 0, ["description"] = "Unique per node; the same when the same report is sent again" },
            ["at"] = new JsonObject { ["type"] = "string", ["format"] = "date-time", ["description"] = "When the node sampled it; it counts in that minute" },
            ["services"] = new JsonObject
            {
                ["type"] = "array",
                ["maxItems"] = Analytics.HeartbeatMetricsJson.MaxServices,
                ["items"] = new JsonObject
                {
                    ["type"] = "object",
                    ["required"] = new JsonArray("service"),
                    ["additionalProperties"] = false,
                    ["properties"] = new JsonObject
                    {
                        ["service"] = new JsonObject { ["type"] = "string", ["description"] = "Kong's service label; empty for requests no service took" },
                        ["requests"] = new JsonObject
                        {
                            ["type"] = "object",
                            ["additionalProperties"] = false,
                            ["properties"] = new JsonObject([.. StatusClass.All.Select(c => KeyValuePair.Create(c, (JsonNode?)Integer))]),
                        },
                        ["latency_ms"] = new JsonObject
                        {
                            ["type"] = "object",
                            ["description"] = "Requests per latency bucket, keyed by its upper bound (Prometheus's le, or \"+Inf\"): each counted in one bucket, not cumulatively",
                            ["additionalProperties"] = Integer,
                        },
                    },
                },
            },
        },
    };
}
