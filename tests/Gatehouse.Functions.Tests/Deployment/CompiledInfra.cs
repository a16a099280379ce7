using System.Text.Json.Nodes;
using Gatehouse.Testing;

namespace Gatehouse.Functions.Tests.Deployment;

/// <summary>
/// infra/ compiled once per test run by the pinned Bicep CLI (a warning fails it, see
/// <see cref="BicepBuild"/>), and the deployment of main.bicep the ARM engine predicts for a sample
/// azd environment.
/// </summary>
internal static class CompiledInfra
{
    /// <summary>Who ran azd in the sample environment (AZURE_PRINCIPAL_ID; AZURE_PRINCIPAL_TYPE left empty).</summary>
    public const string DeployerPrincipalId = "11111111-1111-1111-1111-111111111111";

    public static string InfraDirectory { get; } = Path.Combine(RepositoryRoot.Path, "infra");

    private static readonly Lazy<IReadOnlyDictionary<string, JsonObject>> s_templates = new(() => BicepBuild.CompileAll(InfraDirectory));

    private static readonly Lazy<DeploymentSnapshot> s_snapshot = new(() => DeploymentSnapshot.Of(Templates["main.bicep"], new Dictionary<string, string>
    {
        ["environmentName"] = "'gatehouse-test'",
        ["location"] = $"'{DeploymentSnapshot.Location}'",
        ["principalId"] = $"'{DeployerPrincipalId}'",
        ["adminToken"] = "'an-admin-token-of-the-sample-environment'",
    }));

    /// <summary>The ARM template each .bicep file under infra/ compiles to, by path relative to infra/.</summary>
    public static IReadOnlyDictionary<string, JsonObject> Templates => s_templates.Value;

    /// <summary>main.bicep compiled, its modules inline.</summary>
    public static ArmTemplate Main => new(Templates["main.bicep"]);

    public static DeploymentSnapshot Snapshot => s_snapshot.Value;

    /// <summary>The function app's app settings as deployed: name → literal value or expression.</summary>
    public static IReadOnlyDictionary<string, string> AppSettings()
    {
        var configs = Snapshot.OfType("Microsoft.Web/sites/config").Where(c => ((string)c["name"]!).EndsWith("/appsettings", StringComparison.Ordinal)).ToList();
        var appSettings = Assert.Single(configs);
        return appSettings["properties"]!.AsObject().ToDictionary(s => s.Key, s => (string)s.Value!, StringComparer.Ordinal);
    }
}
