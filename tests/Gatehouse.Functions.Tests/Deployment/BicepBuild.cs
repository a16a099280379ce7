using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gatehouse.Functions.Tests.Deployment;

/// <summary>
/// Compiles every .bicep file under a directory with <c>bicep build</c>, as <c>azd provision</c>
/// would compile its entry point, but stricter: a lint warning fails the build like an error does.
/// Every file is compiled, modules too, so a module no template uses yet is checked as well.
/// </summary>
/// <remarks>
/// Warnings are refused here rather than raised to errors in a bicepconfig.json: such a file would
/// also turn warnings into failed deployments for everyone running <c>azd up</c> with whatever Bicep
/// azd installed, and it would list rules one by one, so a rule a later Bicep adds at warning level
/// would pass unnoticed. Rules Bicep leaves off by default stay off.
/// </remarks>
internal static class BicepBuild
{
    /// <summary>
    /// The ARM template each .bicep file compiles to, by its path relative to the directory
    /// (<c>modules/storage.bicep</c>), or <see cref="BicepBuildFailed"/> with the compiler's diagnostics.
    /// </summary>
    public static IReadOnlyDictionary<string, JsonObject> CompileAll(string directory)
    {
        var sources = Directory.EnumerateFiles(directory, "*.bicep", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(directory, path))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(sources.Count > 0, $"no .bicep file under {directory}");

        var output = Directory.CreateTempSubdirectory("gatehouse-bicep-");
        try
        {
            var run = BicepCli.Run(directory, "build", "--pattern", "**/*.bicep", "--outdir", output.FullName, "--diagnostics-format", "sarif");
            var diagnostics = ReadSarif(run.StandardError);
            var refused = diagnostics.Where(d => d.Level is "error" or "warning").ToList();
            if (run.ExitCode != 0 || refused.Count > 0)
            {
                throw new BicepBuildFailed(run.ExitCode, refused.Count > 0 ? refused : diagnostics, run.StandardError);
            }
            return sources.ToDictionary(
                source => source,
                source => JsonNode.Parse(File.ReadAllText(Path.Combine(output.FullName, Path.ChangeExtension(source, ".json"))))!.AsObject(),
                StringComparer.Ordinal);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    // The CLI writes one SARIF log per file it compiles, one after another; a module's diagnostics
    // are in its own log and in that of each file that uses it.
    private static List<BicepDiagnostic> ReadSarif(string text)
    {
        var diagnostics = new List<BicepDiagnostic>();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(text), new JsonReaderOptions { AllowMultipleValues = true });
        try
        {
            while (reader.Read())
            {
                using var log = JsonDocument.ParseValue(ref reader);
                foreach (var result in log.RootElement.GetProperty("runs").EnumerateArray().SelectMany(run => run.GetProperty("results").EnumerateArray()))
                {
                    var location = result.GetProperty("locations")[0].GetProperty("physicalLocation");
                    diagnostics.Add(new BicepDiagnostic(
                        new Uri(location.GetProperty("artifactLocation").GetProperty("uri").GetString()!).LocalPath,
                        location.GetProperty("region").GetProperty("startLine").GetInt32(),
                        location.GetProperty("region").GetProperty("charOffset").GetInt32(),
                        // SARIF's default level is "warning" (SARIF 2.1.0, 3.27.10); Bicep writes it only for the others.
                        result.TryGetProperty("level", out var level) ? level.GetString()! : "warning",
                        result.GetProperty("ruleId").GetString()!,
                        result.GetProperty("message").GetProperty("text").GetString()!));
                }
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // Anything but SARIF on stderr (a crash, a notice) is not something to pass over.
            throw new BicepBuildFailed(-1, [], text, e);
        }
        return [.. diagnostics.Distinct()];
    }
}

/// <summary>One diagnostic of the Bicep compiler or its linter.</summary>
internal sealed record BicepDiagnostic(string File, int Line, int Column, string Level, string Code, string Message)
{
    /// <summary>As the CLI prints it: <c>main.bicep(3,7) : Warning no-unused-params: …</c>.</summary>
    public override string ToString() =>
        $"{File}({Line},{Column}) : {char.ToUpperInvariant(Level[0])}{Level[1..]} {Code}: {Message}";
}

/// <summary>A Bicep build that did not compile cleanly: its error and warning diagnostics.</summary>
internal sealed class BicepBuildFailed(int exitCode, IReadOnlyList<BicepDiagnostic> diagnostics, string standardError, Exception? inner = null)
    : Exception(
        diagnostics.Count > 0
            ? $"bicep build exited with {exitCode} and refused diagnostics (warnings are errors here):\n{string.Join('\n', diagnostics)}"
            : $"bicep build exited with {exitCode}; what it printed:\n{standardError}",
        inner)
{
    public int ExitCode { get; } = exitCode;

    public IReadOnlyList<BicepDiagnostic> Diagnostics { get; } = diagnostics;
}
