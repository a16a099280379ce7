using System.Text.RegularExpressions;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests.Deployment;

/// <summary>
/// The settings the app's code reads, found in its source, in the form an app setting (an
/// environment variable) takes: <c>Gatehouse:Recompose:Local</c> is <c>Gatehouse__Recompose__Local</c>.
/// Three ways of reading are recognised: a <c>"Gatehouse:…"</c> configuration key anywhere; the
/// keys of a configuration section (storage, Key Vault) read as <c>section["key"]</c>; and
/// environment variables read by name.
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

        // Sections: a constant passed to GetSection, whose keys are read as section["key"] (and, through
        // AzureCredential.From(section, …), the identity keys that helper reads). The section itself is
        // a setting only where its value is read (the storage connection string).
        var functions = Path.Combine(source, "Gatehouse.Functions");
        var credentialKeys = SectionKey().Matches(File.ReadAllText(Path.Combine(functions, "AzureCredential.cs"))).Select(m => m.Groups["key"].Value).ToList();
        Assert.NotEmpty(credentialKeys);
        foreach (var file in Directory.EnumerateFiles(functions, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(file);
            foreach (Match constant in SectionConstant().Matches(text))
            {
                if (!text.Contains($"GetSection({constant.Groups["name"].Value})", StringComparison.Ordinal))
                {
                    continue;
                }
                var section = constant.Groups["value"].Value.Replace(":", "__", StringComparison.Ordinal);
                if (!text.Contains("section.Value", StringComparison.Ordinal))
                {
                    found.Remove(section);
                }
                else
                {
                    found.Add(section);
                }
                var keys = SectionKey().Matches(text).Select(m => m.Groups["key"].Value);
                if (text.Contains("AzureCredential.From(section", StringComparison.Ordinal))
                {
                    keys = keys.Concat(credentialKeys);
                }
                foreach (var key in keys)
                {
                    found.Add($"{section}__{key}");
                }
            }
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

    [GeneratedRegex(@"const string (?<name>[A-Za-z]+) = ""(?<value>Gatehouse[A-Za-z:]*)""")]
    private static partial Regex SectionConstant();
}
