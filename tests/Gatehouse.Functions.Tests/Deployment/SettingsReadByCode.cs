using System.Text.RegularExpressions;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests.Deployment;

/// <summary>
/// The settings the app's code reads, found in its source, in the form an app setting (an
/// environment variable) takes: <c>Gatehouse:Recompose:Local</c> is <c>Gatehouse__Recompose__Local</c>.
/// Three ways of reading are recognised: a <c>"Gatehouse:…"</c> configuration key anywhere; the
/// keys of the storage section in StorageConfiguration.cs; and environment variables read by name.
/// </summary>
internal static partial class SettingsReadByCode
{
    public static IReadOnlySet<string> Find()
    {
        var source = Path.Combine(RepositoryRoot.Path, "src");
        var found = new SortedSet<string>(StringComparer.Ordinal);
        // What the function app package holds: the app and the libraries it references (not the sidecar).
        foreach (var file in new[] { "Gatehouse.Functions", "Gatehouse.Azure", "Gatehouse.Core" }
            .SelectMany(project => Directory.EnumerateFiles(Path.Combine(source, project), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(file);
            foreach (Match key in GatehouseKey().Matches(text))
            {
                found.Add(key.Groups["key"].Value.Replace(":", "__", StringComparison.Ordinal));
            }
            foreach (Match read in EnvironmentRead().Matches(text))
            {
                var name = read.Groups["name"].Value;
                found.Add(name.StartsWith('"') ? name.Trim('"') : ConstantIn(text, name, file));
            }
        }

        var storage = File.ReadAllText(Path.Combine(source, "Gatehouse.Functions", "StorageConfiguration.cs"));
        var section = ConstantIn(storage, "SectionName", "StorageConfiguration.cs");
        found.Add(section);
        foreach (Match key in SectionKey().Matches(storage))
        {
            found.Add($"{section}__{key.Groups["key"].Value}");
        }
        return found;
    }

    private static string ConstantIn(string text, string name, string file)
    {
        var match = Regex.Match(text, $@"const string {Regex.Escape(name)} = ""(?<value>[^""]+)""");
        Assert.True(match.Success, $"{file} reads the environment variable {name}, whose value the scan cannot find");
        return match.Groups["value"].Value;
    }

    [GeneratedRegex(@"""(?<key>Gatehouse(:[A-Za-z0-9]+)+)""")]
    private static partial Regex GatehouseKey();

    [GeneratedRegex(@"GetEnvironmentVariable\((?<name>""[^""]+""|[A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex EnvironmentRead();

    [GeneratedRegex(@"(section\[""|ServiceUri\(section,\s*"")(?<key>[A-Za-z]+)""")]
    private static partial Regex SectionKey();
}
