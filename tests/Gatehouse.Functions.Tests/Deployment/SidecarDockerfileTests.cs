using System.Text.Json;
using System.Text.RegularExpressions;
using Gatehouse.Functions.DataPlanes.QuickStart;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests.Deployment;

/// <summary>
/// src/Gatehouse.Sidecar/Dockerfile against what <c>dotnet publish src/Gatehouse.Sidecar</c> makes
/// (Docker cannot build here): every COPY source matches published files, everything the sidecar
/// needs to run is copied, the entry point is the published assembly, and the base image carries the
/// shared frameworks the sidecar runs on. The README builds the image the quick starts name.
/// </summary>
public sealed class SidecarDockerfileTests
{
    [Fact]
    public async Task The_dockerfile_copies_the_published_sidecar_onto_a_base_with_its_frameworks()
    {
        var root = Directory.CreateTempSubdirectory("gatehouse-sidecar-publish-").FullName;
        try
        {
            var published = Path.Combine(root, "out");
            await DotnetPublish.RunAsync(Path.Combine("src", "Gatehouse.Sidecar", "Gatehouse.Sidecar.csproj"), published, Path.Combine(root, "artifacts"));
            var files = Directory.EnumerateFiles(published).Select(Path.GetFileName).Cast<string>().ToList();
            var dockerfile = await File.ReadAllLinesAsync(Path.Combine(RepositoryRoot.Path, "src", "Gatehouse.Sidecar", "Dockerfile"), TestContext.Current.CancellationToken);

            var sources = dockerfile.Where(l => l.StartsWith("COPY ", StringComparison.Ordinal)).SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1]).ToList();
            Assert.NotEmpty(sources);
            foreach (var source in sources)
            {
                Assert.True(files.Any(f => Glob(source).IsMatch(f)), $"COPY {source} matches nothing published: {string.Join(", ", files)}");
            }
            // What running needs: the assemblies and the host's json files (not symbols, docs or the apphost, which the entry point does not use).
            foreach (var needed in files.Where(f => f.EndsWith(".dll", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal)))
            {
                Assert.True(sources.Any(s => Glob(s).IsMatch(needed)), $"{needed} is published but not copied");
            }
            var entry = Assert.Single(dockerfile, l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal));
            Assert.Contains("/app/Gatehouse.Sidecar.dll", entry, StringComparison.Ordinal);
            Assert.Contains("Gatehouse.Sidecar.dll", files);

            // The frameworks it runs on decide the base: ASP.NET Core's needs the aspnet image.
            using var runtimeConfig = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(published, "Gatehouse.Sidecar.runtimeconfig.json"), TestContext.Current.CancellationToken));
            var frameworks = runtimeConfig.RootElement.GetProperty("runtimeOptions").GetProperty("frameworks").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToList();
            var from = Assert.Single(dockerfile, l => l.StartsWith("FROM ", StringComparison.Ordinal));
            Assert.Equal(frameworks.Contains("Microsoft.AspNetCore.App") ? "FROM mcr.microsoft.com/dotnet/aspnet:10.0" : "FROM mcr.microsoft.com/dotnet/runtime:10.0", from);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void The_readme_builds_the_image_the_quick_starts_run()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));
        Assert.Contains($"docker build -t {QuickStartSettings.DefaultSidecarImage} -f src/Gatehouse.Sidecar/Dockerfile publish/sidecar", readme, StringComparison.Ordinal);
        Assert.Contains("dotnet publish src/Gatehouse.Sidecar -c Release -o publish/sidecar", readme, StringComparison.Ordinal);
    }

    private static Regex Glob(string pattern) => new("^" + Regex.Escape(pattern).Replace("\\*", "[^/]*", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant);
}
