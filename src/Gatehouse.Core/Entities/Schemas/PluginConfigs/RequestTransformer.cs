using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;
using static Gatehouse.Core.Entities.Schemas.PluginConfigs.TransformerFields;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>
/// request-transformer (kong/plugins/request-transformer/schema.lua:124-141 at 3.9.3). Kong also
/// compiles each value as a Penlight template (19-24); Gatehouse does not, so a value whose
/// template does not compile is accepted here and refused by the data plane.
/// </summary>
public static class RequestTransformer
{
    private static Field Remove { get; } = Record("remove",
        List("body", Plain), List("headers", Plain.With(HeaderNameBeforeColon)), List("querystring", Plain));

    private static Field Rename { get; } = Record("rename",
        List("body", Plain.With(HasValue)), List("headers", Colon.With(HeaderNamesOnBothSides)), List("querystring", Plain.With(HasValue)));

    private static Field WithValues(string name) => Record(name,
        List("body", Plain.With(HasValue)), List("headers", Colon.With(HeaderNameBeforeColon)), List("querystring", Plain.With(HasValue)));

    public static PluginSchema Schema { get; } = new("request-transformer", Config(
        Typedefs.HttpMethod("http_method"),
        Remove,
        Rename,
        WithValues("replace") with { Fields = [.. WithValues("replace").Fields!, Text("uri")] },
        WithValues("add"),
        WithValues("append")));
}
