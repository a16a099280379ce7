using System.Text.Json.Nodes;
using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;
using static Gatehouse.Core.Entities.Validators;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>
/// The shared <c>propagation</c> record of the tracing plugins (typedefs.propagation,
/// kong/observability/tracing/propagation/schema.lua:19-61 at 3.9.3): which tracing header formats
/// to extract, clear and inject.
/// </summary>
public static class PropagationRecord
{
    /// <summary>
    /// The formats of kong/observability/tracing/propagation/utils.lua:12-21. Kong lists them with
    /// <c>pairs()</c> over that table (schema.lua:6-16), an order LuaJIT does not fix; Gatehouse
    /// keeps the order they are declared in, so an "expected one of" may list them otherwise than Kong.
    /// </summary>
    private static readonly string[] s_formats = ["w3c", "b3", "b3-single", "jaeger", "ot", "datadog", "aws", "gcp"];

    /// <summary>b3 and b3-single share one extractor, b3.</summary>
    private static readonly string[] s_extractors = [.. s_formats.Where(f => f != "b3-single")];

    /// <summary>The record with <c>default = { default_format = … }</c>, as each tracing plugin gives it.</summary>
    public static Field WithDefaultFormat(string defaultFormat) => Record("propagation",
        new Field("extract", FieldType.Array) { Elements = new Field("format", FieldType.String).With(OneOf(s_extractors)) },
        new Field("clear", FieldType.Array) { Elements = HeaderName("header") },
        new Field("inject", FieldType.Array) { Elements = new Field("format", FieldType.String).With(OneOf(["preserve", .. s_formats])) },
        Text("default_format", required: true).With(OneOf(s_formats))) with
    {
        Default = new JsonObject { ["default_format"] = defaultFormat },
    };
}
