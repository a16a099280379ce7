using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;
using static Gatehouse.Core.Entities.Schemas.PluginConfigs.TransformerFields;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>response-transformer (kong/plugins/response-transformer/schema.lua:24-98 at 3.9.3).</summary>
public static class ResponseTransformer
{
    private static Field WithValues(string name) => Record(name,
        List("json", Colon),
        List("json_types", Plain.With(Validators.OneOf("boolean", "number", "string"))),
        List("headers", Colon));

    public static PluginSchema Schema { get; } = new("response-transformer", Config(
        Record("remove", List("json", Plain), List("headers", Plain)),
        Record("rename", List("json", Colon), List("headers", Colon.With(HeaderNamesOnBothSides))),
        WithValues("replace"),
        WithValues("add"),
        WithValues("append")))
    {
        Protocols = HttpOnly,
    };
}
