using System.Diagnostics;
using System.Text;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests.Deployment;

/// <summary>
/// <c>dotnet publish &lt;project&gt; -c Release --output &lt;dir&gt;</c>, as a user or azd runs it, with
/// bin and obj in a temporary artifacts path so that the checkout's own build output is left alone,
/// and without analyzers.
/// </summary>
internal static class DotnetPublish
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(8);

    public static async Task RunAsync(string project, string output, string artifacts)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnet ? dotnet : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot.Path,
        };
        foreach (var argument in new[]
        {
            "publish", Path.Combine(RepositoryRoot.Path, project), "-c", "Release", "--output", output,
            "--artifacts-path", artifacts, "--disable-build-servers", "-nologo",
            // Analyzers change no byte of the package, and the solution's own build already runs
            // them; here they would only double the compile time of every project published.
            "-p:RunAnalyzers=false",
        })
        {
            start.ArgumentList.Add(argument);
        }
        // The test host's own MSBuild settings must not leak into a separate build.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet publish.");
        var log = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(s_timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet publish did not finish within {s_timeout}:\n{log}");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed with exit code {process.ExitCode}:\n{log}");
        }
    }
}
