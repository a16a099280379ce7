using System.Text.Json.Nodes;
using static Gatehouse.Core.Entities.EntityChecks;
using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;
using static Gatehouse.Core.Entities.Validators;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>
/// datadog (kong/plugins/datadog/schema.lua:69-153 at 3.9.3): the agent (77-78, host
/// referenceable), tag names (79-89), the deprecated batching fields (90-114, no defaults), the
/// queue (115) and the metrics (116-148), six by default (28-66), each needing a sample rate when
/// it is a counter or a gauge (137-145). Any protocol (72).
/// </summary>
public static class Datadog
{
    private static readonly string[] s_statNames = ["kong_latency", "latency", "request_count", "request_size", "response_size", "upstream_latency"];

    private static readonly string[] s_statTypes = ["counter", "gauge", "histogram", "meter", "set", "timer", "distribution"];

    private static readonly string[] s_consumerIdentifiers = ["consumer_id", "custom_id", "username"];

    private static JsonObject DefaultMetric(string name, string statType, int? sampleRate = null) => new()
    {
        ["name"] = name,
        ["stat_type"] = statType,
        ["tags"] = new JsonArray("app:kong"),
        ["sample_rate"] = sampleRate,
        ["consumer_identifier"] = "custom_id",
    };

    /// <summary>
    /// The <c>conditional</c> of a metric (schema.lua:137-145). <c>stat_type</c> has no default, so a
    /// metric that gives a sample rate without it is refused as Kong's entity check refuses it.
    /// </summary>
    internal static EntityCheck SampleRateOfCountersAndGauges { get; } =
        Requiring(["stat_type"], ["sample_rate"], Conditional("stat_type", Is("counter", "gauge"), "sample_rate", Required));

    private static Field Metric { get; } = new("metric", FieldType.Record)
    {
        Fields =
        [
            Text("name", required: true).With(OneOf(s_statNames)),
            Text("stat_type", required: true).With(OneOf(s_statTypes)),
            new Field("tags", FieldType.Array) { Elements = new Field("tag", FieldType.String).With(LuaMatch("^.*[^:]$")) },
            Number("sample_rate").With(Between(0, 1)),
            Text("consumer_identifier").With(OneOf(s_consumerIdentifiers)),
        ],
        RecordChecks = [SampleRateOfCountersAndGauges],
    };

    public static PluginSchema Schema { get; } = new("datadog", Config(
        Typedefs.Host("host") with { Default = "localhost", Referenceable = true },
        Typedefs.Port("port", @default: 8125),
        Text("prefix", "kong"),
        Text("service_name_tag", "name"),
        Text("status_tag", "status"),
        Text("consumer_tag", "consumer"),
        Integer("retry_count"),
        Integer("queue_size"),
        Number("flush_timeout"),
        QueueRecord.Config,
        new Field("metrics", FieldType.Array)
        {
            Required = true,
            Elements = Metric,
            Default = new JsonArray(
                DefaultMetric("request_count", "counter", sampleRate: 1),
                DefaultMetric("latency", "timer"),
                DefaultMetric("request_size", "timer"),
                DefaultMetric("response_size", "timer"),
                DefaultMetric("upstream_latency", "timer"),
                DefaultMetric("kong_latency", "timer")),
        }));
}
