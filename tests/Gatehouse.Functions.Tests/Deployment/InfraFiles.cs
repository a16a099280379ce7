using System.Text.RegularExpressions;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests.Deployment;

/// <summary>
/// Reads what the tests need from infra/ without a Bicep compiler (none can be installed here):
/// the app settings block of the function app, as setting name → Bicep expression.
/// </summary>
internal static partial class InfraFiles
{
    public static string Directory { get; } = Path.Combine(RepositoryRoot.Path, "infra");

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(Directory, relativePath));

    /// <summary>Every .bicep file under infra/, by path relative to it.</summary>
    public static IReadOnlyDictionary<string, string> AllBicep() =>
        System.IO.Directory.EnumerateFiles(Directory, "*.bicep", SearchOption.AllDirectories)
            .ToDictionary(path => Path.GetRelativePath(Directory, path), File.ReadAllText, StringComparer.Ordinal);

    /// <summary>
    /// The <c>properties</c> of the <c>Microsoft.Web/sites/config</c> resource named
    /// <c>appsettings</c> in modules/functionapp.bicep: one <c>Name: expression</c> per line.
    /// </summary>
    public static IReadOnlyDictionary<string, string> AppSettings()
    {
        var lines = Read(Path.Combine("modules", "functionapp.bicep")).Split('\n');
        var resource = Array.FindIndex(lines, l => l.Contains("'Microsoft.Web/sites/config@", StringComparison.Ordinal) && l.TrimEnd().EndsWith('{'));
        Assert.True(resource >= 0, "no Microsoft.Web/sites/config resource in modules/functionapp.bicep");
        Assert.Contains(lines.Skip(resource).TakeWhile(l => !l.Contains("properties:", StringComparison.Ordinal)), l => l.Trim() == "name: 'appsettings'");
        var start = Array.FindIndex(lines, resource, l => l.Trim() == "properties: {");

        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = start + 1; lines[i].Trim() != "}"; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }
            var match = SettingLine().Match(line);
            Assert.True(match.Success, $"modules/functionapp.bicep line {i + 1} is not 'Name: expression': {line}");
            Assert.True(settings.TryAdd(match.Groups["name"].Value, match.Groups["value"].Value.Trim()), $"{match.Groups["name"].Value} is set twice");
        }
        return settings;
    }

    /// <summary>The text of a Bicep string literal without interpolation, or null for any other expression.</summary>
    public static string? Literal(string expression) =>
        expression.Length >= 2 && expression[0] == '\'' && expression[^1] == '\'' && !expression.Contains("${", StringComparison.Ordinal)
            ? expression[1..^1].Replace("\\'", "'", StringComparison.Ordinal)
            : null;

    [GeneratedRegex(@"^'?(?<name>[A-Za-z_][A-Za-z0-9_]*)'?\s*:\s*(?<value>.+)$")]
    private static partial Regex SettingLine();
}
