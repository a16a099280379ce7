using System.Text;

namespace Gatehouse.Functions.DataPlanes.QuickStart;

/// <summary>
/// A bash script that writes the certificate files and runs two containers: Kong DB-less, and the
/// sidecar in Kong's network namespace (so Kong's Admin API stays on loopback). The sidecar runs as
/// the invoking user, who owns the key file (mode 600) and the cache directory.
/// </summary>
internal static class DockerScript
{
    private const string PemDelimiter = "GATEHOUSE_PEM";

    public static string Write(QuickStartSetup setup)
    {
        var script = new StringBuilder();
        script.Append($$"""
            #!/usr/bin/env bash
            # Gatehouse data plane quick start: Kong {{setup.KongVersion}} (DB-less) and the Gatehouse sidecar in Docker,
            # for control plane {{setup.ControlPlaneId}}, reached at {{setup.ControlPlaneUrl}}.
            # The files go to $GATEHOUSE_DP_DIR (default ./{{setup.Name}}); the key is in this script: keep it private.
            # The sidecar image is built from this repository (README, "The sidecar image").
            set -euo pipefail

            name={{setup.Name}}
            dir="${GATEHOUSE_DP_DIR:-$PWD/$name}"
            mkdir -p "$dir/tls" "$dir/cache"
            chmod 700 "$dir/tls"

            """);
        foreach (var (file, content) in setup.CertificateFiles)
        {
            script.Append($"(umask 077; cat >\"$dir/tls/{file}\" <<'{PemDelimiter}'\n{content}{PemDelimiter}\n)\n");
        }
        script.Append('\n');

        var network = setup.ControlPlaneOnLoopback
            ? "--network host"
            : string.Join(' ', QuickStartSetup.ProxyPorts.Select(p => $"--publish {p}:{p}"));
        if (setup.ControlPlaneOnLoopback)
        {
            script.Append("# The control plane is on this host's loopback: Kong (and so the sidecar) use the host's network.\n");
        }
        script.Append($"docker run --detach --name \"$name-kong\" --restart unless-stopped {network} \\\n");
        foreach (var (variable, value) in setup.KongEnvironment)
        {
            script.Append($"  --env {Quote($"{variable}={value}")} \\\n");
        }
        script.Append($"  {Quote(setup.KongImage)}\n\n");

        script.Append("docker run --detach --name \"$name-sidecar\" --restart unless-stopped \\\n");
        script.Append("  --network \"container:$name-kong\" --user \"$(id -u):$(id -g)\" \\\n");
        script.Append($"  --volume \"$dir/tls:{QuickStartSetup.CertificateDirectory}:ro\" \\\n");
        script.Append($"  --volume \"$dir/cache:{QuickStartSetup.CacheDirectory}\" \\\n");
        script.Append($"  {Quote(setup.SidecarImage)}");
        var arguments = setup.SidecarArguments;
        for (var i = 0; i < arguments.Count; i += 2)
        {
            script.Append($" \\\n  {arguments[i]} {Quote(arguments[i + 1])}");
        }
        script.Append('\n');
        script.Append($$"""

            echo "Kong {{setup.KongVersion}} runs as $name-kong (proxy on ports {{string.Join(" and ", QuickStartSetup.ProxyPorts)}}), its sidecar as $name-sidecar."
            echo "Follow the sidecar: docker logs -f $name-sidecar"

            """);
        return script.ToString();
    }

    /// <summary>A single-quoted bash word: nothing in it is expanded.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
