using System.Text.Json.Nodes;
using static Gatehouse.Core.Entities.EntityChecks;
using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>
/// pre-function (kong/plugins/pre-function/schema.lua:1), built by the schema it shares with
/// post-function (kong/plugins/pre-function/_schema.lua:2-63 at 3.9.3): Lua chunks per phase,
/// at least one phase given (52-61). Kong also compiles each chunk with <c>loadstring</c>
/// (10-17, "error parsing &lt;plugin&gt;: …"); Gatehouse runs no Lua, so a chunk that does not
/// compile is accepted here and refused by the data plane.
/// </summary>
public static class PreFunction
{
    private static readonly string[] s_phases = ["certificate", "rewrite", "access", "header_filter", "body_filter", "log"];

    public static PluginSchema Schema { get; } = For("pre-function");

    /// <summary>The shared _schema.lua, for the plugin of the given name.</summary>
    internal static PluginSchema For(string name) => new(name, Config(
        [
            .. s_phases.Select(phase => new Field(phase, FieldType.Array)
            {
                Required = true,
                Default = new JsonArray(),
                Elements = new Field("function", FieldType.String),
            }),
        ]))
    {
        NoConsumer = true,
        Checks = [AtLeastOneOf([.. s_phases.Select(p => $"config.{p}")])],
    };
}
