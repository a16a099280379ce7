using System.Text.Json.Nodes;

namespace Gatehouse.Functions.Tests.Deployment;

/// <summary>
/// infra/ compiles with the pinned Bicep CLI without an error or a warning, and the same harness
/// fails, with the compiler's own message, on a file that does not compile or that the linter warns of.
/// </summary>
public sealed class BicepBuildTests
{
    [Fact]
    public void Every_module_under_infra_compiles_clean_into_main_as_one_of_its_deployments()
    {
        var templates = CompiledInfra.Templates;
        Assert.Contains("subscriptionDeploymentTemplate.json", (string?)templates["main.bicep"]["$schema"]);
        // So what the tests check in main's compiled template covers every file.
        var deployed = CompiledInfra.Main.SelfAndModules().Skip(1).Select(t => t.Root).ToList();
        Assert.All(templates.Where(t => t.Key != "main.bicep"),
            module => Assert.True(deployed.Any(d => JsonNode.DeepEquals(d, module.Value)), $"{module.Key} is not a module of main.bicep"));
        Assert.Equal(templates.Count - 1, deployed.Count);
    }

    [Fact]
    public void A_clean_file_compiles_to_its_template()
    {
        var template = Assert.Single(Compile(("ok.bicep", "param greeting string\noutput said string = greeting\n")));
        Assert.Equal("ok.bicep", template.Key);
        Assert.Equal("[parameters('greeting')]", (string?)template.Value["outputs"]!["said"]!["value"]);
    }

    [Theory]
    // A syntax error: the resource body is never closed.
    [InlineData("resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {\n  name: 'x'\n  location: \n", 4, "error", "BCP018", "Expected the \"}\" character at this location.")]
    // A type error.
    [InlineData("param count int\noutput name string = count\n", 2, "error", "BCP033", "Expected a value of type \"string\" but the provided value is of type \"int\".")]
    // It compiles, but the linter warns: a warning fails the build as well.
    [InlineData("param unused string\noutput name string = 'x'\n", 1, "warning", "no-unused-params", "Parameter \"unused\" is declared but never used.")]
    public void A_broken_file_fails_the_build_with_the_compilers_message(string source, int line, string level, string code, string message)
    {
        var failure = Assert.Throws<BicepBuildFailed>(() => Compile(("broken.bicep", source)));
        var diagnostic = Assert.Single(failure.Diagnostics);
        Assert.Equal("broken.bicep", Path.GetFileName(diagnostic.File));
        Assert.Equal((line, level, code), (diagnostic.Line, diagnostic.Level, diagnostic.Code));
        Assert.StartsWith(message, diagnostic.Message);
        Assert.Contains(diagnostic.ToString(), failure.Message);
    }

    [Fact]
    public void A_warning_added_to_an_infra_module_fails_the_build_of_infra()
    {
        var copy = Directory.CreateTempSubdirectory("gatehouse-infra-");
        try
        {
            foreach (var file in Directory.EnumerateFiles(CompiledInfra.InfraDirectory, "*.bicep", SearchOption.AllDirectories))
            {
                var target = Path.Combine(copy.FullName, Path.GetRelativePath(CompiledInfra.InfraDirectory, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
            File.AppendAllText(Path.Combine(copy.FullName, "modules", "storage.bicep"), "\nvar unusedName = 'never read'\n");

            var failure = Assert.Throws<BicepBuildFailed>(() => BicepBuild.CompileAll(copy.FullName));
            var diagnostic = Assert.Single(failure.Diagnostics);
            Assert.Equal(Path.Combine(copy.FullName, "modules", "storage.bicep"), diagnostic.File);
            Assert.Equal(("warning", "no-unused-vars"), (diagnostic.Level, diagnostic.Code));
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    private static IReadOnlyDictionary<string, JsonObject> Compile(params (string Name, string Source)[] files)
    {
        var directory = Directory.CreateTempSubdirectory("gatehouse-bicep-test-");
        try
        {
            foreach (var (name, source) in files)
            {
                File.WriteAllText(Path.Combine(directory.FullName, name), source);
            }
            return BicepBuild.CompileAll(directory.FullName);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
