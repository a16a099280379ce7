using System.Text.Json.Nodes;
using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;
using static Gatehouse.Core.Entities.Validators;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>
/// statsd (kong/plugins/statsd/schema.lua:144-222 at 3.9.3): the server (151-161), the metrics
/// (162-183), thirteen by default (31-122), each needing a sample rate when it is a counter or a
/// gauge (174-181), status code ranges (184-189, kong/plugins/statsd/constants.lua:4), packet and
/// transport options (190-194), identifier defaults (195-197), the deprecated batching fields
/// (198-215, no defaults), the tag style (216) and the queue (217). Any protocol (147).
/// </summary>
public static class Statsd
{
    private static readonly string[] s_metricNames =
    [
        "kong_latency", "latency", "request_count", "request_per_user", "request_size", "response_size", "status_count",
        "status_count_per_user", "unique_users", "upstream_latency", "status_count_per_workspace",
        "status_count_per_user_per_route", "shdict_usage",
    ];

    private static readonly string[] s_statTypes = ["counter", "gauge", "histogram", "meter", "set", "timer"];

    private static readonly string[] s_consumerIdentifiers = ["consumer_id", "custom_id", "username"];

    private static readonly string[] s_serviceIdentifiers = ["service_id", "service_name", "service_host", "service_name_or_host"];

    private static readonly string[] s_workspaceIdentifiers = ["workspace_id", "workspace_name"];

    private static JsonObject DefaultMetric(string name, string statType, int? sampleRate = null) => new()
    {
        ["name"] = name,
        ["stat_type"] = statType,
        ["sample_rate"] = sampleRate,
    };

    private static Field Metric { get; } = new("metric", FieldType.Record)
    {
        Fields =
        [
            Text("name", required: true).With(OneOf(s_metricNames)),
            Text("stat_type", required: true).With(OneOf(s_statTypes)),
            Number("sample_rate").With(GreaterThan(0)),
            Text("consumer_identifier").With(OneOf(s_consumerIdentifiers)),
            Text("service_identifier").With(OneOf(s_serviceIdentifiers)),
            Text("workspace_identifier").With(OneOf(s_workspaceIdentifiers)),
        ],
        // The same conditional as datadog's metrics, written again in statsd's schema.lua.
        RecordChecks = [Datadog.SampleRateOfCountersAndGauges],
    };

    public static PluginSchema Schema { get; } = new("statsd", Config(
        Typedefs.Host("host") with { Default = "localhost" },
        Typedefs.Port("port", @default: 8125),
        Text("prefix", "kong"),
        new Field("metrics", FieldType.Array)
        {
            Elements = Metric,
            Default = new JsonArray(
                DefaultMetric("request_count", "counter", sampleRate: 1),
                DefaultMetric("latency", "timer"),
                DefaultMetric("request_size", "counter", sampleRate: 1),
                DefaultMetric("status_count", "counter", sampleRate: 1),
                DefaultMetric("response_size", "counter", sampleRate: 1),
                DefaultMetric("unique_users", "set"),
                DefaultMetric("request_per_user", "counter", sampleRate: 1),
                DefaultMetric("upstream_latency", "timer"),
                DefaultMetric("kong_latency", "timer"),
                DefaultMetric("status_count_per_user", "counter", sampleRate: 1),
                DefaultMetric("status_count_per_workspace", "counter", sampleRate: 1),
                DefaultMetric("status_count_per_user_per_route", "counter", sampleRate: 1),
                DefaultMetric("shdict_usage", "gauge", sampleRate: 1)),
        },
        new Field("allow_status_codes", FieldType.Array) { Elements = new Field("range", FieldType.String).With(LuaMatch("^[0-9]+-[0-9]+$")) },
        Number("udp_packet_size", 0).With(Between(0, 65507)),
        Bool("use_tcp", false, required: false),
        Bool("hostname_in_prefix", false, required: false),
        Text("consumer_identifier_default", "custom_id", required: true).With(OneOf(s_consumerIdentifiers)),
        Text("service_identifier_default", "service_name_or_host", required: true).With(OneOf(s_serviceIdentifiers)),
        Text("workspace_identifier_default", "workspace_id", required: true).With(OneOf(s_workspaceIdentifiers)),
        Integer("retry_count"),
        Integer("queue_size"),
        Number("flush_timeout"),
        Text("tag_style").With(OneOf("dogstatsd", "influxdb", "librato", "signalfx")),
        QueueRecord.Config));
}
