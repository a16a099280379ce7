using System.Text.Json.Nodes;

namespace Gatehouse.Functions.Tests.Deployment;

/// <summary>
/// What a deployment of a compiled template would create, predicted by <c>bicep snapshot</c>: the ARM
/// template engine evaluates the template for the given parameters, subscription and tenant, with every
/// module's resources at their final ids and copy loops expanded. What exists only once resources are
/// deployed stays an expression: <c>[reference('{resource id}', '{api version}').{property}]</c>.
/// </summary>
internal sealed class DeploymentSnapshot
{
    public const string SubscriptionId = "00000000-0000-0000-0000-00000000000a";
    public const string TenantId = "00000000-0000-0000-0000-00000000000b";
    public const string Location = "westeurope";

    private DeploymentSnapshot(IReadOnlyList<JsonObject> resources) => Resources = resources;

    /// <summary>Every resource the deployment would create or update, modules' included.</summary>
    public IReadOnlyList<JsonObject> Resources { get; }

    /// <summary>
    /// Snapshots the compiled template with the parameters (Bicep literals by name, e.g. <c>'westeurope'</c>).
    /// Fails on any diagnostic of the snapshot, like <see cref="BicepBuild"/> does for compiling.
    /// </summary>
    public static DeploymentSnapshot Of(JsonObject template, IReadOnlyDictionary<string, string> parameters)
    {
        var directory = Directory.CreateTempSubdirectory("gatehouse-snapshot-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "main.json"), template.ToJsonString());
            File.WriteAllLines(Path.Combine(directory.FullName, "main.bicepparam"),
                ["using './main.json'", .. parameters.Select(p => $"param {p.Key} = {p.Value}")]);
            var run = BicepCli.Run(directory.FullName, "snapshot", "main.bicepparam", "--mode", "overwrite",
                "--subscription-id", SubscriptionId, "--tenant-id", TenantId, "--location", Location);
            Assert.True(run.ExitCode == 0 && run.StandardError.Length == 0,
                $"bicep snapshot exited with {run.ExitCode}:\n{run.StandardError}{run.StandardOutput}");

            var snapshot = JsonNode.Parse(File.ReadAllText(Path.Combine(directory.FullName, "main.snapshot.json")))!;
            Assert.Empty(snapshot["diagnostics"]!.AsArray());
            return new DeploymentSnapshot([.. snapshot["predictedResources"]!.AsArray().Select(r => r!.AsObject())]);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    public IReadOnlyList<JsonObject> OfType(string type) =>
        [.. Resources.Where(r => string.Equals((string?)r["type"], type, StringComparison.OrdinalIgnoreCase))];

    /// <summary>The one resource of a type the deployment would create.</summary>
    public JsonObject Single(string type)
    {
        var found = OfType(type);
        Assert.True(found.Count == 1, $"{found.Count} resources of type {type} in the deployment, not one");
        return found[0];
    }

    /// <summary>The resource with this id, if the deployment creates it.</summary>
    public JsonObject? WithId(string id) =>
        Resources.SingleOrDefault(r => string.Equals((string?)r["id"], id, StringComparison.OrdinalIgnoreCase));
}
