using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Core.Composition;

/// <summary>
/// The 32-hex hash a data plane reports back, and the per-section hashes Kong data planes use to
/// decide what to rebuild: the router when routes or services change, the plugins iterator when
/// plugins change, the balancer when upstreams or targets change. Each section hash is the MD5 of
/// the section as rendered (deterministically), so it changes exactly when the section does; the
/// config hash combines them in Kong's order (kong/clustering/config_helper.lua).
/// </summary>
public sealed record ConfigHash(string Config, string Routes, string Services, string Plugins, string Upstreams, string Targets, string Rest)
{
    public static ConfigHash Combine(string routes, string services, string plugins, string upstreams, string targets, string rest) =>
        new(Convert.ToHexStringLower(MD5.HashData(Encoding.ASCII.GetBytes(routes + services + plugins + upstreams + targets + rest))),
            routes, services, plugins, upstreams, targets, rest);
}
