using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Functions.Access;
using Gatehouse.Testing;
using Gatehouse.Testing.OpenApi;

namespace Gatehouse.Functions.Tests.Deployment;

/// <summary>azure.yaml is what azd accepts, and names the project and infra that exist.</summary>
public sealed class AzureYamlTests
{
    private static JsonNode AzureYaml() => YamlJson.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "azure.yaml")))!;

    [Fact]
    public void Azure_yaml_validates_against_azds_published_schema()
    {
        var validator = ReferenceSpecs.AzdProject;
        var errors = validator.Validate(JsonSerializer.SerializeToElement(AzureYaml()));
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        // Every keyword met was checked; "comment" is azd's own note on its allOf branches.
        Assert.Empty(validator.UnknownKeywords.Except(["comment"]));
        Assert.Empty(validator.UnknownFormats);
    }

    [Theory]
    [InlineData("name", "Gatehouse!")]               // lower-case letters, digits and dashes only
    [InlineData("services.api.image", "gatehouse:1")] // a function service deploys a project or an image, not both
    [InlineData("services.api.project", null)]       // a function service needs a project (or an image)
    [InlineData("services.api.remoteBuild", "yes")]  // a boolean
    public void The_schema_catches_a_broken_azure_yaml(string path, string? value)
    {
        var yaml = AzureYaml();
        var segments = path.Split('.');
        var parent = segments[..^1].Aggregate(yaml, (node, segment) => node[segment]!).AsObject();
        if (value is null)
        {
            parent.Remove(segments[^1]);
        }
        else
        {
            parent[segments[^1]] = value;
        }
        Assert.NotEmpty(ReferenceSpecs.AzdProject.Validate(JsonSerializer.SerializeToElement(yaml)));
    }

    [Fact]
    public void The_service_is_the_functions_project_deployed_to_the_app_the_bicep_tags()
    {
        var yaml = AzureYaml();
        var services = yaml["services"]!.AsObject();
        var (name, service) = Assert.Single(services);
        Assert.Equal("function", (string?)service!["host"]);
        Assert.Equal("dotnet", (string?)service["language"]);
        var project = Path.GetFullPath(Path.Combine(RepositoryRoot.Path, (string)service["project"]!));
        Assert.Equal(Path.Combine(RepositoryRoot.Path, "src", "Gatehouse.Functions"), project.TrimEnd(Path.DirectorySeparatorChar));
        Assert.True(File.Exists(Path.Combine(project, "Gatehouse.Functions.csproj")));

        // azd deploys the service to the resource tagged azd-service-name: <service>: the function app.
        var tagged = Assert.Single(CompiledInfra.Snapshot.Resources, r => (string?)r["tags"]?["azd-service-name"] == name);
        Assert.Equal("Microsoft.Web/sites", (string?)tagged["type"]);
        Assert.StartsWith("functionapp", (string?)tagged["kind"]);
        var infra = yaml["infra"]!;
        Assert.Equal("bicep", (string?)infra["provider"]);
        Assert.True(File.Exists(Path.Combine(RepositoryRoot.Path, (string)infra["path"]!, $"{(string)infra["module"]!}.bicep")));
        Assert.True(File.Exists(Path.Combine(RepositoryRoot.Path, (string)infra["path"]!, $"{(string)infra["module"]!}.parameters.json")));
    }

    [Fact]
    public void The_parameters_file_maps_azds_environment_to_every_parameter_without_a_default()
    {
        using var parameters = JsonDocument.Parse(File.ReadAllText(Path.Combine(CompiledInfra.InfraDirectory, "main.parameters.json")));
        var mapped = parameters.RootElement.GetProperty("parameters").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetProperty("value").GetString(), StringComparer.Ordinal);
        Assert.Equal("${AZURE_ENV_NAME}", mapped["environmentName"]);
        Assert.Equal("${AZURE_LOCATION}", mapped["location"]);
        Assert.Equal("${AZURE_PRINCIPAL_ID}", mapped["principalId"]);

        // The admin token is azd's to generate (metadata azd type generate), long enough for the app to accept, so nothing maps it.
        Assert.DoesNotContain("adminToken", mapped.Keys);
        var declared = CompiledInfra.Main.Root["parameters"]!.AsObject();
        var adminToken = declared["adminToken"]!;
        Assert.Equal("securestring", (string?)adminToken["type"]);
        Assert.Equal("generate", (string?)adminToken["metadata"]?["azd"]?["type"]);
        var generated = adminToken["metadata"]!["azd"]!["config"]!;
        Assert.Equal(JsonValueKind.True, generated["noSpecial"]?.GetValueKind());
        var length = (int)generated["length"]!;
        Assert.True(length >= AdminToken.MinimumLength, $"azd generates an admin token of {length} characters; the app refuses fewer than {AdminToken.MinimumLength}");

        Assert.All(mapped.Keys, name => Assert.True(declared.ContainsKey(name), $"main.parameters.json maps {name}, which main.bicep does not declare"));
        Assert.All(declared.Where(d => !d.Value!.AsObject().ContainsKey("defaultValue") && d.Key != "adminToken"),
            d => Assert.True(mapped.ContainsKey(d.Key), $"{d.Key} has no default and no value"));
    }
}
