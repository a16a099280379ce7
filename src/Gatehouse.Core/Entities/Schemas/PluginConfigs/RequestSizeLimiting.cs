using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;
using static Gatehouse.Core.Entities.Validators;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>request-size-limiting (kong/plugins/request-size-limiting/schema.lua:8-22, units from handler.lua:15-19 at 3.9.3).</summary>
public static class RequestSizeLimiting
{
    public static PluginSchema Schema { get; } = new("request-size-limiting", Config(
        Integer("allowed_payload_size", 128),
        Text("size_unit", "megabytes", required: true).With(OneOf("megabytes", "kilobytes", "bytes")),
        Bool("require_content_length", false)))
    {
        Protocols = HttpOnly,
    };
}
