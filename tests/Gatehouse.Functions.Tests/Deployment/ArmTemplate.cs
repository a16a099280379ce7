using System.Text.Json.Nodes;

namespace Gatehouse.Functions.Tests.Deployment;

/// <summary>
/// A compiled ARM template and the templates of its modules. Bicep compiles each module to a
/// <c>Microsoft.Resources/deployments</c> resource with the module's template inline, and leaves
/// expressions as strings (<c>"[parameters('name')]"</c>): values here are as written, not evaluated.
/// </summary>
internal sealed class ArmTemplate
{
    private const string DeploymentType = "Microsoft.Resources/deployments";

    public ArmTemplate(JsonObject root, string name = "main")
    {
        Root = root;
        Name = name;
    }

    public JsonObject Root { get; }

    /// <summary><c>main</c>, then each module by the path of deployment names to it: <c>main/storage</c>.</summary>
    public string Name { get; }

    /// <summary>This template's own resources (a symbolic-name template keeps them in an object).</summary>
    public IReadOnlyList<JsonObject> OwnResources => Root["resources"] switch
    {
        JsonArray array => [.. array.Select(r => r!.AsObject())],
        JsonObject symbolic => [.. symbolic.Select(r => r.Value!.AsObject())],
        _ => [],
    };

    /// <summary>This template and every module under it, depth first.</summary>
    public IEnumerable<ArmTemplate> SelfAndModules()
    {
        yield return this;
        foreach (var deployment in OwnResources.Where(r => IsType(r, DeploymentType)))
        {
            if (deployment["properties"]?["template"] is JsonObject template)
            {
                foreach (var nested in new ArmTemplate(template, $"{Name}/{(string?)deployment["name"]}").SelfAndModules())
                {
                    yield return nested;
                }
            }
        }
    }

    /// <summary>The resources of a type in this template and in every module under it.</summary>
    public IReadOnlyList<JsonObject> Resources(string type) =>
        [.. SelfAndModules().SelectMany(t => t.OwnResources).Where(r => IsType(r, type))];

    /// <summary>The one resource of a type anywhere in the template.</summary>
    public JsonObject Resource(string type)
    {
        var found = Resources(type);
        Assert.True(found.Count == 1, $"{found.Count} resources of type {type} in the compiled template, not one");
        return found[0];
    }

    /// <summary>
    /// Every string in this template, with where it is (resources by name, or by type where the name is
    /// an expression), leaving out the templates of modules: their <c>parameters(…)</c> are their own.
    /// </summary>
    public IEnumerable<(string Path, string Value)> OwnStrings() => Strings(Root, "");

    private IEnumerable<(string Path, string Value)> Strings(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonValue value when value.TryGetValue<string>(out var text):
                yield return (path, text);
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var label = ReferenceEquals(node, Root["resources"]) ? ResourceLabel(array[i]!.AsObject()) : i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    foreach (var found in Strings(array[i], $"{path}[{label}]"))
                    {
                        yield return found;
                    }
                }
                break;
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    var isModuleTemplate = key == "template" && obj.Parent is JsonObject resource && IsType(resource, DeploymentType);
                    if (isModuleTemplate)
                    {
                        continue;
                    }
                    foreach (var found in Strings(child, path.Length == 0 ? key : $"{path}.{key}"))
                    {
                        yield return found;
                    }
                }
                break;
        }
    }

    private static string ResourceLabel(JsonObject resource) =>
        (string?)resource["name"] is { } name && !ArmExpression.IsExpression(name) ? name : (string)resource["type"]!;

    private static bool IsType(JsonObject resource, string type) =>
        string.Equals((string?)resource["type"], type, StringComparison.OrdinalIgnoreCase);
}
