using System.Text.Json;
using System.Text.Json.Nodes;
using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;
using static Gatehouse.Core.Entities.Validators;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>
/// zipkin (kong/plugins/zipkin/schema.lua:43-85 at 3.9.3): the collector and sampling (50-56),
/// trace id length (57), the deprecated header types (58-65), static tags whose names are not
/// Kong's own and do not repeat (4-41, 67-68), span naming, timeouts and phase durations (69-75),
/// the queue (76) and propagation, b3 by default (77-81). Any protocol (46).
/// </summary>
public static class Zipkin
{
    private static readonly string[] s_protectedTags =
    [
        "error", "http.method", "http.path", "http.status_code", "kong.balancer.state", "kong.balancer.try", "kong.consumer",
        "kong.credential", "kong.node.id", "kong.route", "kong.service", "lc", "peer.hostname",
    ];

    private static Field StaticTag { get; } = new("static_tag", FieldType.Record)
    {
        Fields = [Text("name", required: true).With(NotOneOf(s_protectedTags)), Text("value", required: true)],
    };

    public static PluginSchema Schema { get; } = new("zipkin", Config(
        Text("local_service_name", "kong", required: true),
        Url("http_endpoint"),
        Number("sample_ratio", 0.001).With(Between(0, 1)),
        Text("default_service_name"),
        Bool("include_credential", true),
        Integer("traceid_byte_count", 16, required: true).With(OneOfIntegers(8, 16)),
        Text("header_type", "preserve", required: true)
            .With(OneOf("preserve", "ignore", "b3", "b3-single", "w3c", "jaeger", "ot", "aws", "datadog", "gcp")),
        Text("default_header_type", "b3", required: true).With(OneOf("b3", "b3-single", "w3c", "jaeger", "ot", "aws", "datadog", "gcp")),
        Text("tags_header", "Zipkin-Tags", required: true),
        new Field("static_tags", FieldType.Array) { Elements = StaticTag }.With(NoRepeatedTags),
        Text("http_span_name", "method", required: true).With(OneOf("method", "method_path")),
        Timeout("connect_timeout", 2000),
        Timeout("send_timeout", 5000),
        Timeout("read_timeout", 5000),
        Text("http_response_header_for_traceid"),
        Text("phase_duration_flavor", "annotations", required: true).With(OneOf("annotations", "tags")),
        QueueRecord.Config,
        PropagationRecord.WithDefaultFormat("b3")));

    /// <summary>validate_static_tags (schema.lua:28-41).</summary>
    private static string? NoRepeatedTags(JsonNode value)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tag in value.AsArray())
        {
            if (tag?["name"] is { } name && name.GetValueKind() == JsonValueKind.String && !found.Add(name.GetValue<string>()))
            {
                return $"repeated tags are not allowed: {name.GetValue<string>()}";
            }
        }
        return null;
    }
}
