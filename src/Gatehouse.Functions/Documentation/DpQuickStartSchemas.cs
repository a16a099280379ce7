using System.Text.Json.Nodes;

namespace Gatehouse.Functions.Documentation;

/// <summary>What <c>POST .../dp-quickstart</c> answers.</summary>
internal static class DpQuickStartSchemas
{
    public static JsonObject QuickStart => ApiSchemas.Ref("DpQuickStart");

    public static void AddComponents(JsonObject schemas)
    {
        static JsonObject Text(string description) => new() { ["type"] = "string", ["description"] = description };
        schemas["DpQuickStart"] = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["certificate"] = ApiSchemas.Ref("DpClientCertificate"),
                ["private_key"] = Text("The certificate's private key, PKCS#8 PEM: in this answer only, stored nowhere."),
                ["control_plane_url"] = Text("Where the sidecar reaches the data plane API: Gatehouse__PublicUrl, else the local data plane HTTPS endpoint, else this request's host."),
                ["server_ca"] = new JsonObject
                {
                    ["type"] = new JsonArray("string", "null"),
                    ["description"] = "The data plane endpoint's self-signed certificate (PEM) when Gatehouse serves it itself (locally); null when the system's roots trust it (Azure).",
                },
                ["kong_version"] = Text("The Kong version this control plane serves (Gatehouse__KongVersion, default 3.9.1)."),
                ["kong_image"] = Text("Kong's image: Gatehouse__DataPlane__KongImage, default kong:{kong_version}."),
                ["sidecar_image"] = Text("The sidecar's image: Gatehouse__DataPlane__SidecarImage, default gatehouse-sidecar:latest (built from src/Gatehouse.Sidecar/Dockerfile)."),
                ["docker_script"] = Text("A bash script: writes the certificate files and runs Kong DB-less and the sidecar (in Kong's network namespace) with docker run."),
                ["compose_yaml"] = Text("The same two containers as a docker compose file; the certificate files go in ./tls beside it."),
                ["kubernetes_yaml"] = Text("Kubernetes manifests: a TLS Secret, a ConfigMap with server_ca when there is one, a Deployment with Kong and the sidecar in one pod, a Service for Kong's proxy."),
                ["notes"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" }, ["description"] = "What the setups assume, in words." },
            },
            ["required"] = new JsonArray("certificate", "private_key", "control_plane_url", "kong_version", "kong_image", "sidecar_image", "docker_script", "compose_yaml", "kubernetes_yaml", "notes"),
        };
    }
}
