using static Gatehouse.Core.Entities.EntityChecks;
using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>ip-restriction (kong/plugins/ip-restriction/schema.lua:4-22 at 3.9.3): also runs on tcp and tls.</summary>
public static class IpRestriction
{
    private static Field Addresses(string name) => new(name, FieldType.Array) { Elements = new Field("address", FieldType.String).With(Typedefs.IpOrCidr) };

    public static PluginSchema Schema { get; } = new("ip-restriction", Config(
        Addresses("allow"),
        Addresses("deny"),
        Number("status"),
        Text("message")))
    {
        Protocols = AnyProtocols with { Default = new System.Text.Json.Nodes.JsonArray("http", "https", "tcp", "tls", "grpc", "grpcs") },
        Checks = [AtLeastOneOf("config.allow", "config.deny")],
    };
}
