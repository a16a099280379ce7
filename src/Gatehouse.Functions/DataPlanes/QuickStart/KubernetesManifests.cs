using System.Text.Json.Nodes;
using Gatehouse.Functions.Composition;

namespace Gatehouse.Functions.DataPlanes.QuickStart;

/// <summary>
/// One Deployment whose pods run Kong and the sidecar side by side (they share the pod's loopback,
/// where Kong's Admin API listens), a TLS Secret with the certificate and key, a ConfigMap with the
/// server CA when the control plane's certificate needs one, and a Service for Kong's proxy.
/// </summary>
internal static class KubernetesManifests
{
    /// <summary>The user the sidecar image runs as (the .NET images' <c>APP_UID</c>): the mounted key is readable by its group.</summary>
    public const int SidecarUser = 1654;

    public static string Write(QuickStartSetup setup)
    {
        var labels = new JsonObject { ["app.kubernetes.io/name"] = setup.Name, ["app.kubernetes.io/part-of"] = "gatehouse" };
        var documents = new List<JsonObject>
        {
            new()
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Secret",
                ["metadata"] = Metadata(setup.Name + "-tls", labels),
                ["type"] = "kubernetes.io/tls",
                ["stringData"] = new JsonObject
                {
                    [QuickStartSetup.CertificateFile] = setup.CertificateFiles[0].Value,
                    [QuickStartSetup.KeyFile] = setup.CertificateFiles[1].Value,
                },
            },
        };
        var sources = new JsonArray(new JsonObject { ["secret"] = new JsonObject { ["name"] = setup.Name + "-tls" } });
        if (setup.ServerCaPem is not null)
        {
            documents.Add(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ConfigMap",
                ["metadata"] = Metadata(setup.Name + "-server-ca", labels),
                ["data"] = new JsonObject { [QuickStartSetup.ServerCaFile] = setup.CertificateFiles[2].Value },
            });
            sources.Add(new JsonObject { ["configMap"] = new JsonObject { ["name"] = setup.Name + "-server-ca" } });
        }
        documents.Add(new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = Metadata(setup.Name, labels),
            ["spec"] = new JsonObject
            {
                ["replicas"] = 1,
                ["selector"] = new JsonObject { ["matchLabels"] = labels.DeepClone() },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = labels.DeepClone() },
                    ["spec"] = new JsonObject
                    {
                        ["securityContext"] = new JsonObject { ["fsGroup"] = SidecarUser },
                        ["containers"] = new JsonArray(Kong(setup), Sidecar(setup)),
                        ["volumes"] = new JsonArray(
                            new JsonObject { ["name"] = "tls", ["projected"] = new JsonObject { ["sources"] = sources, ["defaultMode"] = 0b100_100_000 } },
                            new JsonObject { ["name"] = "cache", ["emptyDir"] = new JsonObject() }),
                    },
                },
            },
        });
        documents.Add(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = Metadata(setup.Name + "-proxy", labels),
            ["spec"] = new JsonObject
            {
                ["selector"] = labels.DeepClone(),
                ["ports"] = new JsonArray(
                    new JsonObject { ["name"] = "proxy", ["port"] = 80, ["targetPort"] = QuickStartSetup.ProxyPorts[0] },
                    new JsonObject { ["name"] = "proxy-tls", ["port"] = 443, ["targetPort"] = QuickStartSetup.ProxyPorts[1] }),
            },
        });
        var header = $"# Gatehouse data plane quick start: Kong {setup.KongVersion} (DB-less) and the Gatehouse sidecar, for control plane {setup.ControlPlaneId}.\n"
            + "# kubectl apply -f this file. The Secret holds the data plane's private key.\n";
        return header + string.Concat(documents.Select(d => "---\n" + YamlText.From(d)));
    }

    private static JsonObject Kong(QuickStartSetup setup) => new()
    {
        ["name"] = "kong",
        ["image"] = setup.KongImage,
        ["env"] = new JsonArray([.. setup.KongEnvironment.Select(e => (JsonNode?)new JsonObject { ["name"] = e.Key, ["value"] = e.Value })]),
        ["ports"] = new JsonArray(
            new JsonObject { ["name"] = "proxy", ["containerPort"] = QuickStartSetup.ProxyPorts[0] },
            new JsonObject { ["name"] = "proxy-tls", ["containerPort"] = QuickStartSetup.ProxyPorts[1] }),
    };

    private static JsonObject Sidecar(QuickStartSetup setup) => new()
    {
        ["name"] = "gatehouse-sidecar",
        ["image"] = setup.SidecarImage,
        ["args"] = new JsonArray([.. setup.SidecarArguments.Select(a => (JsonNode?)a)]),
        ["securityContext"] = new JsonObject { ["runAsUser"] = SidecarUser, ["runAsNonRoot"] = true, ["allowPrivilegeEscalation"] = false },
        ["volumeMounts"] = new JsonArray(
            new JsonObject { ["name"] = "tls", ["mountPath"] = QuickStartSetup.CertificateDirectory, ["readOnly"] = true },
            new JsonObject { ["name"] = "cache", ["mountPath"] = QuickStartSetup.CacheDirectory }),
    };

    private static JsonObject Metadata(string name, JsonObject labels) => new() { ["name"] = name, ["labels"] = labels.DeepClone() };
}
