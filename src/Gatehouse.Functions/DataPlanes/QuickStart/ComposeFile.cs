using System.Text.Json.Nodes;
using Gatehouse.Functions.Composition;

namespace Gatehouse.Functions.DataPlanes.QuickStart;

/// <summary>
/// The Docker script's two containers as a compose file: it expects the certificate files in
/// <c>./tls</c> beside it (the script writes them so; or save them there) and runs the sidecar as
/// the user who owns them.
/// </summary>
internal static class ComposeFile
{
    public static string Write(QuickStartSetup setup)
    {
        var kong = new JsonObject
        {
            ["image"] = setup.KongImage,
            ["restart"] = "unless-stopped",
            ["environment"] = new JsonObject(setup.KongEnvironment.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))),
        };
        if (setup.ControlPlaneOnLoopback)
        {
            kong["network_mode"] = "host";
        }
        else
        {
            kong["ports"] = new JsonArray([.. QuickStartSetup.ProxyPorts.Select(p => (JsonNode?)$"{p}:{p}")]);
        }
        var sidecar = new JsonObject
        {
            ["image"] = setup.SidecarImage,
            ["restart"] = "unless-stopped",
            ["depends_on"] = new JsonArray("kong"),
            ["network_mode"] = "service:kong",
            ["user"] = "${GATEHOUSE_UID:?export GATEHOUSE_UID=$(id -u) GATEHOUSE_GID=$(id -g): the owner of ./tls/tls.key}:${GATEHOUSE_GID:?export GATEHOUSE_GID=$(id -g)}",
            ["volumes"] = new JsonArray($"./tls:{QuickStartSetup.CertificateDirectory}:ro", $"./cache:{QuickStartSetup.CacheDirectory}"),
            ["command"] = new JsonArray([.. setup.SidecarArguments.Select(a => (JsonNode?)a)]),
        };
        var compose = new JsonObject
        {
            ["name"] = setup.Name,
            ["services"] = new JsonObject { ["kong"] = kong, ["sidecar"] = sidecar },
        };
        var files = string.Join(", ", setup.CertificateFiles.Select(f => "./tls/" + f.Key));
        return $"""
            # Gatehouse data plane quick start: Kong {setup.KongVersion} (DB-less) and the Gatehouse sidecar, for control plane {setup.ControlPlaneId}.
            # Needs {files} beside this file (the Docker script writes them so), then:
            #   mkdir -p cache && GATEHOUSE_UID=$(id -u) GATEHOUSE_GID=$(id -g) docker compose up -d

            """ + YamlText.From(compose);
    }
}
