using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests.Deployment;

/// <summary>
/// The function app package, made once for the tests that need it the way azd makes it:
/// <c>dotnet publish &lt;project&gt; -c Release --output &lt;dir&gt;</c>. Its bin and obj go to a
/// temporary artifacts path, so the checkout's own build output is left alone.
/// </summary>
public sealed class PublishedPackage : IAsyncLifetime
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(8);

    private readonly string _root = Path.Combine(Path.GetTempPath(), $"gatehouse-package-{Guid.NewGuid():N}");

    /// <summary>The directory azd would zip and deploy.</summary>
    public string Directory => Path.Combine(_root, "package");

    /// <summary>The package's <c>{function}/function.json</c> files, by function name.</summary>
    public IReadOnlyDictionary<string, JsonElement> Functions { get; private set; } = new Dictionary<string, JsonElement>();

    public JsonElement HostJson { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var project = Path.Combine(RepositoryRoot.Path, "src", "Gatehouse.Functions", "Gatehouse.Functions.csproj");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnet ? dotnet : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot.Path,
        };
        foreach (var argument in new[]
        {
            "publish", project, "-c", "Release", "--output", Directory,
            "--artifacts-path", Path.Combine(_root, "artifacts"), "--disable-build-servers", "-nologo",
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
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
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
            throw new TimeoutException($"dotnet publish did not finish within {s_timeout}:\n{output}");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed with exit code {process.ExitCode}:\n{output}");
        }

        HostJson = Read(Path.Combine(Directory, "host.json"));
        Functions = System.IO.Directory.EnumerateDirectories(Directory)
            .Where(d => File.Exists(Path.Combine(d, "function.json")))
            .ToDictionary(d => Path.GetFileName(d), d => Read(Path.Combine(d, "function.json")), StringComparer.Ordinal);
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            System.IO.Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A temporary directory left behind is harmless.
        }
        return ValueTask.CompletedTask;
    }

    private static JsonElement Read(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }
}

/// <summary>The tests that share one published package (it takes a while to make).</summary>
[CollectionDefinition(Name)]
public sealed class PublishedPackageCollection : ICollectionFixture<PublishedPackage>
{
    public const string Name = "Published package";
}
