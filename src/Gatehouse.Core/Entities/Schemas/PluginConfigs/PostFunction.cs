namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>post-function (kong/plugins/post-function/schema.lua:1 at 3.9.3): pre-function's shared schema under its own name.</summary>
public static class PostFunction
{
    public static PluginSchema Schema { get; } = PreFunction.For("post-function");
}
