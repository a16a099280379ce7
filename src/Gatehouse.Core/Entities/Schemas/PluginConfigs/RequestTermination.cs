using System.Text.Json.Nodes;
using static Gatehouse.Core.Entities.EntityChecks;
using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;
using static Gatehouse.Core.Entities.Validators;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>
/// request-termination (kong/plugins/request-termination/schema.lua:9-47 at 3.9.3): message,
/// content_type, body and echo exclude each other as its custom validator says (27-43).
/// </summary>
public static class RequestTermination
{
    public static PluginSchema Schema { get; } = new("request-termination", Config(
        Integer("status_code", 503, required: true).With(Between(100, 599)),
        Text("message"),
        Text("content_type"),
        Text("body"),
        Bool("echo", false),
        HeaderName("trigger")) with
    {
        Validators = [MessageOrBody],
    })
    {
        Protocols = HttpOnly,
    };

    private static string? MessageOrBody(JsonNode value)
    {
        var config = value.AsObject();
        // is_present (4-6): a non-empty string.
        bool Present(string name) => Text(config[name]) is { Length: > 0 };
        if (Present("message") && (Present("content_type") || Present("body")))
        {
            return "message cannot be used with content_type or body";
        }
        if (Present("content_type") && !Present("body"))
        {
            return "content_type requires a body";
        }
        return IsTrue(config["echo"]) && (Present("content_type") || Present("body")) ? "echo cannot be used with content_type and body" : null;
    }
}
