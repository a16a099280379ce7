using static Gatehouse.Core.Entities.EntityChecks;
using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>ldap-auth (kong/plugins/ldap-auth/schema.lua:6-38 at 3.9.3): ldaps and start_tls exclude each other (29-35).</summary>
public static class LdapAuth
{
    public static PluginSchema Schema { get; } = new("ldap-auth", Config(
        Typedefs.Host("ldap_host", required: true),
        Typedefs.Port("ldap_port", required: true, @default: 389),
        Bool("ldaps", false),
        Bool("start_tls", false),
        Bool("verify_ldap_host", false),
        Text("base_dn", required: true),
        Text("attribute", required: true),
        Number("cache_ttl", 60, required: true),
        Bool("hide_credentials", false),
        Number("timeout", 10000),
        Number("keepalive", 60000),
        Text("anonymous"),
        Text("header_type", "ldap"),
        Text("realm")) with
    {
        RecordChecks = [Conditional("ldaps", IsTrue, "start_tls", MustBe(false), "'ldaps' and 'start_tls' cannot be enabled simultaneously")],
    })
    {
        NoConsumer = true,
        Protocols = HttpOnly,
    };
}
