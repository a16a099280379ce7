using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>grpc-gateway (kong/plugins/grpc-gateway/schema.lua:3-21 at 3.9.3).</summary>
public static class GrpcGateway
{
    public static PluginSchema Schema { get; } = new("grpc-gateway", Config(Text("proto")));
}
