using System.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Gatehouse.Functions.Tests.EndToEnd;

/// <summary>
/// Reads the quick start's outputs as their tools would: the Docker script run by bash with a
/// <c>docker</c> on the PATH that records each invocation, the YAML parsed document by document.
/// Each yields the sidecar's command line in the container's paths and the mounts that map them.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class QuickStartOutputs
{
    private static readonly IDeserializer s_yaml = new DeserializerBuilder().Build();

    /// <summary>A sidecar as a setup runs it: its arguments and where each container path comes from.</summary>
    internal sealed record SidecarCommand(string Image, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Mounts)
    {
        /// <summary>The arguments with container paths replaced by the host paths mounted there, and <paramref name="urls"/> swapped.</summary>
        public IReadOnlyList<string> OnThisHost(IReadOnlyDictionary<string, string> urls) => [.. Arguments.Select(a =>
            urls.TryGetValue(a, out var url) ? url
            : Mounts.Where(m => a == m.Key || a.StartsWith(m.Key + "/", StringComparison.Ordinal)).Select(m => m.Value + a[m.Key.Length..]).FirstOrDefault() ?? a)];
    }

    /// <summary>One recorded <c>docker</c> invocation's arguments.</summary>
    internal sealed record DockerCall(IReadOnlyList<string> Arguments);

    public static async Task<int> BashSyntaxCheckAsync(string scriptFile)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", ["-n", scriptFile]) { RedirectStandardError = true })!;
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return process.ExitCode;
    }

    /// <summary>Runs the script with bash, <c>docker</c> recording instead of running; answers its calls.</summary>
    public static async Task<IReadOnlyList<DockerCall>> RunScriptAsync(string scriptFile, string dataDirectory, string workDirectory)
    {
        var bin = Directory.CreateDirectory(Path.Combine(workDirectory, "bin")).FullName;
        var log = Path.Combine(workDirectory, "docker-calls");
        // Each argument on its own line would break on PEM-free but multi-line values; NUL-separate them, one call per file line.
        await File.WriteAllTextAsync(Path.Combine(bin, "docker"), $"#!/usr/bin/env bash\nprintf '%s\\0' \"$@\" >>'{log}'\nprintf '\\n' >>'{log}'\n", TestContext.Current.CancellationToken);
        File.SetUnixFileMode(Path.Combine(bin, "docker"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var start = new ProcessStartInfo("bash", [scriptFile]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workDirectory };
        start.Environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
        start.Environment["GATEHOUSE_DP_DIR"] = dataDirectory;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, $"the script failed ({process.ExitCode}):\n{await output}\n{await error}");
        return [.. (await File.ReadAllTextAsync(log, TestContext.Current.CancellationToken)).Split("\0\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(line => new DockerCall(line.Split('\0')))];
    }

    /// <summary>The container a <c>docker run</c> starts: its options, image and the command after it.</summary>
    public static (Dictionary<string, List<string>> Options, string Image, List<string> Command) ParseRun(DockerCall call)
    {
        Assert.Equal("run", call.Arguments[0]);
        var options = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var i = 1;
        for (; i < call.Arguments.Count && call.Arguments[i].StartsWith("--", StringComparison.Ordinal); i++)
        {
            var name = call.Arguments[i];
            var value = name == "--detach" ? "" : call.Arguments[++i];
            (options.TryGetValue(name, out var values) ? values : options[name] = []).Add(value);
        }
        return (options, call.Arguments[i], [.. call.Arguments.Skip(i + 1)]);
    }

    /// <summary><c>host:container[:ro]</c> volumes as container path → host path, relative host paths from <paramref name="baseDirectory"/>.</summary>
    public static Dictionary<string, string> Mounts(IEnumerable<string> volumes, string baseDirectory) => volumes
        .Select(v => v.Split(':'))
        .ToDictionary(p => p[1], p => Path.GetFullPath(p[0], baseDirectory), StringComparer.Ordinal);

    public static IReadOnlyList<Dictionary<object, object>> YamlDocuments(string text)
    {
        var parser = new Parser(new StringReader(text));
        parser.Consume<StreamStart>();
        var documents = new List<Dictionary<object, object>>();
        while (parser.Accept<DocumentStart>(out _))
        {
            documents.Add(s_yaml.Deserialize<Dictionary<object, object>>(parser));
        }
        return documents;
    }

    public static Dictionary<object, object> Map(object? node, string key) => (Dictionary<object, object>)((Dictionary<object, object>)node!)[key];

    public static List<object> List(object? node, string key) => (List<object>)((Dictionary<object, object>)node!)[key];

    public static string Text(object? node, string key) => (string)((Dictionary<object, object>)node!)[key];

}
