using System.Globalization;
using System.Net;
using Gatehouse.Testing;
using Gatehouse.Testing.Kong;
using Gatehouse.Testing.Processes;
using static Gatehouse.Functions.Tests.EndToEnd.QuickStartOutputs;

namespace Gatehouse.Functions.Tests.EndToEnd;

/// <summary>
/// <c>POST .../dp-quickstart</c> against the app as a real process with its own data plane HTTPS
/// endpoint: the Docker script runs under bash (with a <c>docker</c> that records), the compose file
/// and the Kubernetes manifests parse, and the sidecar command line each holds — run as written,
/// container paths mapped to the files the setup itself wrote, a Kong stand-in for Kong — connects
/// and loads the control plane's config.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // bash runs the script
public sealed class QuickStartEndToEndTests(StorageFixture storage)
{
    private const string KongAdminInContainer = "http://127.0.0.1:8001";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Each_setup_parses_and_its_sidecar_command_runs_as_written_and_loads_the_config()
    {
        var work = Directory.CreateTempSubdirectory("gatehouse-quickstart-").FullName;
        var dataPlanePort = LoopbackPort.Unused();
        await using var app = await AppProcess.StartAsync(storage, storage.UniqueName("qs"), new Dictionary<string, string>
        {
            ["Gatehouse__DataPlane__HttpsPort"] = dataPlanePort.ToString(CultureInfo.InvariantCulture),
            ["Gatehouse__DataPlane__ServerCertificateFile"] = Path.Combine(work, "dp-server.pem"),
        });
        var cp = (await (await app.Client.PostJsonAsync("/v2/control-planes", """{"name":"quick"}""")).ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetString();
        await (await app.Client.PostJsonAsync($"/v2/control-planes/{cp}/core-entities/services", """{"name":"orders","host":"orders.internal"}"""))
            .ExpectAsync(HttpStatusCode.Created);

        using var response = await app.Client.PostAsync($"/v2/control-planes/{cp}/dp-quickstart", null, Ct);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var quick = await response.ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("3.9.1", quick.GetProperty("kong_version").GetString());
        Assert.Equal("kong:3.9.1", quick.GetProperty("kong_image").GetString());
        Assert.Equal("gatehouse-sidecar:latest", quick.GetProperty("sidecar_image").GetString());
        Assert.Equal($"https://127.0.0.1:{dataPlanePort}", quick.GetProperty("control_plane_url").GetString());
        Assert.Equal((await File.ReadAllTextAsync(Path.Combine(work, "dp-server.pem"), Ct)).Split("-----BEGIN PRIVATE KEY-----")[0].Trim(),
            quick.GetProperty("server_ca").GetString()!.Trim());
        var certificateId = quick.GetProperty("certificate").GetProperty("id").GetString();
        var pinned = await (await app.Client.GetAsync($"/v2/control-planes/{cp}/dp-client-certificates/{certificateId}", Ct)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(quick.GetProperty("certificate").GetProperty("cert").GetString(), pinned.GetProperty("item").GetProperty("cert").GetString());

        // Docker: bash -n, then run, its docker calls recorded; the files it wrote are what the sidecar reads.
        var script = Path.Combine(work, "quickstart.sh");
        await File.WriteAllTextAsync(script, quick.GetProperty("docker_script").GetString(), Ct);
        Assert.Equal(0, await BashSyntaxCheckAsync(script));
        var dataDirectory = Path.Combine(work, "dp");
        var calls = await RunScriptAsync(script, dataDirectory, work);
        var kongRun = ParseRun(Assert.Single(calls, c => ParseRun(c).Image == "kong:3.9.1"));
        Assert.Contains("KONG_DATABASE=off", kongRun.Options["--env"]);
        Assert.Contains("KONG_ADMIN_LISTEN=127.0.0.1:8001", kongRun.Options["--env"]);
        Assert.Equal(["host"], kongRun.Options["--network"]); // the control plane is on this host's loopback
        var sidecarRun = ParseRun(Assert.Single(calls, c => ParseRun(c).Image == "gatehouse-sidecar:latest"));
        Assert.Equal([$"container:{kongRun.Options["--name"][0]}"], sidecarRun.Options["--network"]);
        var docker = new SidecarCommand(sidecarRun.Image, sidecarRun.Command, Mounts(sidecarRun.Options["--volume"], work));
        Assert.Equal(quick.GetProperty("private_key").GetString()!.Trim(), (await File.ReadAllTextAsync(Path.Combine(dataDirectory, "tls", "tls.key"), Ct)).Trim());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dataDirectory, "tls", "tls.key")));

        // Compose: beside the files the script wrote, as its header says.
        var compose = Assert.Single(YamlDocuments(quick.GetProperty("compose_yaml").GetString()!));
        var services = Map(compose, "services");
        Assert.Equal("kong:3.9.1", Text(services["kong"], "image"));
        Assert.Equal("off", Map(services["kong"], "environment")["KONG_DATABASE"]);
        Assert.Equal("host", Text(services["kong"], "network_mode"));
        Assert.Equal("service:kong", Text(services["sidecar"], "network_mode"));
        Directory.CreateDirectory(Path.Combine(dataDirectory, "compose-cache"));
        var composeMounts = Mounts(List(services["sidecar"], "volumes").Cast<string>(), dataDirectory);
        composeMounts["/var/lib/gatehouse"] = Path.Combine(dataDirectory, "compose-cache");
        var composed = new SidecarCommand(Text(services["sidecar"], "image"), [.. List(services["sidecar"], "command").Cast<string>()], composeMounts);
        Assert.Equal(docker.Arguments, composed.Arguments);

        // Kubernetes: every document parses; the Secret and ConfigMap become the projected volume's files.
        var manifests = YamlDocuments(quick.GetProperty("kubernetes_yaml").GetString()!);
        Assert.Equal(["Secret", "ConfigMap", "Deployment", "Service"], manifests.Select(m => (string)m["kind"]));
        var projected = Directory.CreateDirectory(Path.Combine(work, "k8s-tls")).FullName;
        foreach (var (name, content) in Map(manifests[0], "stringData").Concat(Map(manifests[1], "data")))
        {
            await File.WriteAllTextAsync(Path.Combine(projected, (string)name), (string)content, Ct);
        }
        var pod = Map(Map(Map(manifests[2], "spec"), "template"), "spec");
        var containers = List(pod, "containers").Cast<Dictionary<object, object>>().ToList();
        var kongContainer = containers.Single(c => (string)c["name"] == "kong");
        Assert.Equal("kong:3.9.1", kongContainer["image"]);
        Assert.Contains(((List<object>)kongContainer["env"]).Cast<Dictionary<object, object>>(), e => (string)e["name"] == "KONG_DATABASE" && (string)e["value"] == "off");
        var sidecarContainer = containers.Single(c => (string)c["name"] == "gatehouse-sidecar");
        var volumes = List(pod, "volumes").Cast<Dictionary<object, object>>().ToDictionary(v => (string)v["name"]);
        Assert.True(volumes["cache"].ContainsKey("emptyDir"));
        var k8sMounts = ((List<object>)sidecarContainer["volumeMounts"]).Cast<Dictionary<object, object>>().ToDictionary(
            m => (string)m["mountPath"], m => (string)m["name"] == "tls" ? projected : Directory.CreateDirectory(Path.Combine(work, "k8s-cache")).FullName);
        var kubernetes = new SidecarCommand((string)sidecarContainer["image"], [.. ((List<object>)sidecarContainer["args"]).Cast<string>()], k8sMounts);

        // Each command line, run as written: only the container paths and Kong's address differ.
        var kongs = new List<KongAdminStandIn>();
        var sidecars = new List<SidecarProcess>();
        try
        {
            foreach (var command in new[] { docker, composed, kubernetes })
            {
                Assert.Equal("gatehouse-sidecar:latest", command.Image);
                Assert.Contains(KongAdminInContainer, command.Arguments);
                var kong = new KongAdminStandIn(new KongNodeOptions { Version = "3.9.1" });
                await kong.StartAsync(Ct);
                kongs.Add(kong);
                sidecars.Add(SidecarProcess.Start(command.OnThisHost(new Dictionary<string, string> { [KongAdminInContainer] = kong.BaseAddress.ToString() })));
            }
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (!kongs.All(k => k.CurrentConfig?.Contains("\"orders\"", StringComparison.Ordinal) == true))
            {
                Assert.True(DateTime.UtcNow < deadline, "not every sidecar loaded the config:\n" + string.Join("\n---\n", sidecars.Select(s => s.Log)));
                await Task.Delay(100, Ct);
            }
            // And the control plane knows the three nodes, by the certificate the quick start minted.
            await WaitForNodesAsync(app, cp!, 3);
        }
        finally
        {
            foreach (var sidecar in sidecars)
            {
                await sidecar.DisposeAsync();
            }
            foreach (var kong in kongs)
            {
                await kong.DisposeAsync();
            }
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task WaitForNodesAsync(AppProcess app, string cp, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var nodes = await (await app.Client.GetAsync($"/v2/control-planes/{cp}/nodes", Ct)).ExpectAsync(HttpStatusCode.OK);
            var items = nodes.GetProperty("items").EnumerateArray().ToList();
            if (items.Count == count && items.All(n => n.GetProperty("config_sync_status").GetString() == "in_sync"))
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"expected {count} nodes in sync: {nodes}");
            await Task.Delay(200, Ct);
        }
    }
}
