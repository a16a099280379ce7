using System.Text.Json;

namespace Gatehouse.Functions.Tests.Deployment;

/// <summary>
/// The function app package, made once for the tests that need it the way azd makes it:
/// <c>dotnet publish &lt;project&gt; -c Release --output &lt;dir&gt;</c>. Its bin and obj go to a
/// temporary artifacts path, so the checkout's own build output is left alone.
/// </summary>
public sealed class PublishedPackage : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"gatehouse-package-{Guid.NewGuid():N}");

    /// <summary>The directory azd would zip and deploy.</summary>
    public string Directory => Path.Combine(_root, "package");

    /// <summary>The package's <c>{function}/function.json</c> files, by function name.</summary>
    public IReadOnlyDictionary<string, JsonElement> Functions { get; private set; } = new Dictionary<string, JsonElement>();

    public JsonElement HostJson { get; private set; }

    public async ValueTask InitializeAsync()
    {
        await DotnetPublish.RunAsync(Path.Combine("src", "Gatehouse.Functions", "Gatehouse.Functions.csproj"), Directory, Path.Combine(_root, "artifacts"));

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
