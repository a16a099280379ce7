using System.Text.Json.Nodes;
using static Gatehouse.Core.Entities.EntityChecks;
using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;
using static Gatehouse.Core.Entities.Validators;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>
/// opentelemetry (kong/plugins/opentelemetry/schema.lua:31-117 at 3.9.3): the OTLP/HTTP endpoints
/// (38-39, at least one of them, 95-100), headers (40-46), resource attributes (4-29, 47), the
/// queue with batches of 200 (48-52), the deprecated batching fields (53-66), timeouts (67-69),
/// the deprecated header type (73-81), sampling (82-88), propagation, w3c by default (89-93), and
/// the deprecated <c>endpoint</c> shorthand for <c>traces_endpoint</c> (101-114). HTTP protocols
/// only (34).
/// </summary>
/// <remarks>
/// resource_attributes' custom validator (4-20) refuses non-string values and empty strings, which
/// the map's own <c>values = { type = "string" }</c> (with Kong's default len_min 1) already refuses
/// first, so it decides nothing on JSON input.
/// </remarks>
public static class OpenTelemetry
{
    public static PluginSchema Schema { get; } = new("opentelemetry", Config(
        Url("traces_endpoint") with { Referenceable = true },
        Url("logs_endpoint") with { Referenceable = true },
        new Field("headers", FieldType.Map) { Keys = HeaderName("header"), Elements = Text("value") with { Referenceable = true } },
        new Field("resource_attributes", FieldType.Map) { Keys = Text("key"), Elements = Text("value") },
        QueueRecord.WithMaxBatchSize(200),
        Integer("batch_span_count"),
        Integer("batch_flush_delay"),
        Timeout("connect_timeout", 1000),
        Timeout("send_timeout", 5000),
        Timeout("read_timeout", 5000),
        Text("http_response_header_for_traceid"),
        Text("header_type", "preserve").With(OneOf("preserve", "ignore", "b3", "b3-single", "w3c", "jaeger", "ot", "aws", "gcp", "datadog")),
        Number("sampling_rate").With(Between(0, 1)),
        PropagationRecord.WithDefaultFormat("w3c")) with
    {
        RecordChecks = [AtLeastOneOf("traces_endpoint", "logs_endpoint")],
        Shorthands =
        [
            new ShorthandField(Url("endpoint") with { Referenceable = true }, value => new JsonObject { ["traces_endpoint"] = value.DeepClone() })
            {
                IsDeprecated = true,
            },
        ],
    })
    {
        Protocols = HttpOnly,
    };
}
