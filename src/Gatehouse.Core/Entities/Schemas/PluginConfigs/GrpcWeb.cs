using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>grpc-web (kong/plugins/grpc-web/schema.lua:3-30 at 3.9.3).</summary>
public static class GrpcWeb
{
    public static PluginSchema Schema { get; } = new("grpc-web", Config(
        Text("proto"),
        Typedefs.Boolean("pass_stripped_path", null),
        Text("allow_origin_header", "*")));
}
