using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Gatehouse.Functions.Tests.Deployment;

/// <summary>
/// What infra/ compiles to is secure by default (README, "Deploy to Azure"): every service refuses
/// keys, and identities are granted built-in roles, each on one resource. Properties written as
/// literals are read from the compiled template; what only evaluating it shows (which identity holds
/// which role where) from the deployment the ARM engine predicts.
/// </summary>
public sealed partial class InfraSecurityTests
{
    // Built-in roles main.bicep grants, by id (learn.microsoft.com/azure/role-based-access-control/built-in-roles).
    private static readonly Dictionary<string, string> s_builtInRoles = new(StringComparer.Ordinal)
    {
        ["storageBlobDataOwner"] = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
        ["storageQueueDataContributor"] = "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
        ["storageTableDataContributor"] = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
        ["keyVaultCertificatesOfficer"] = "a4417e6f-fecd-4de8-b567-7b0420556985",
        ["keyVaultSecretsUser"] = "4633458b-17de-408a-b874-0445c86b69e6",
        ["signalRRestApiOwner"] = "fd53cd77-2268-407a-8f46-7e7863d0f521",
        ["monitoringMetricsPublisher"] = "3913510d-42f4-4e42-8a64-420c390055eb",
    };

    [Fact]
    public void The_storage_account_refuses_shared_keys_and_anonymous_reads()
    {
        var account = CompiledInfra.Main.Resource("Microsoft.Storage/storageAccounts");
        AssertLiteral(account, "properties.allowSharedKeyAccess", false);
        AssertLiteral(account, "properties.allowBlobPublicAccess", false);
        AssertLiteral(account, "properties.defaultToOAuthAuthentication", true);
        AssertLiteral(account, "properties.supportsHttpsTrafficOnly", true);
        AssertLiteral(account, "properties.minimumTlsVersion", "TLS1_2");
    }

    [Fact]
    public void Key_vault_authorizes_by_role_and_signalr_and_application_insights_refuse_local_keys()
    {
        AssertLiteral(CompiledInfra.Main.Resource("Microsoft.KeyVault/vaults"), "properties.enableRbacAuthorization", true);

        var signalR = CompiledInfra.Main.Resource("Microsoft.SignalRService/signalR");
        AssertLiteral(signalR, "properties.disableLocalAuth", true);
        var serviceMode = Assert.Single(signalR["properties"]!["features"]!.AsArray(), f => (string?)f!["flag"] == "ServiceMode");
        Assert.Equal("Serverless", (string?)serviceMode!["value"]);

        AssertLiteral(CompiledInfra.Main.Resource("Microsoft.Insights/components"), "properties.DisableLocalAuth", true);
    }

    [Fact]
    public void The_function_app_runs_the_custom_handler_on_flex_consumption_as_its_identity()
    {
        var plan = CompiledInfra.Main.Resource("Microsoft.Web/serverfarms");
        AssertLiteral(plan, "sku.tier", "FlexConsumption");
        AssertLiteral(plan, "sku.name", "FC1");
        var site = CompiledInfra.Main.Resource("Microsoft.Web/sites");
        AssertLiteral(site, "properties.functionAppConfig.runtime.name", "custom");
        AssertLiteral(site, "properties.httpsOnly", true);
        AssertLiteral(site, "properties.functionAppConfig.deployment.storage.authentication.type", "UserAssignedIdentity");

        // One identity for everything: the app's, the Key Vault references' and the package download's.
        var identity = (string)CompiledInfra.Snapshot.Single("Microsoft.ManagedIdentity/userAssignedIdentities")["id"]!;
        var deployed = CompiledInfra.Snapshot.Single("Microsoft.Web/sites");
        AssertLiteral(deployed, "identity.type", "UserAssigned");
        Assert.Equal([identity], deployed["identity"]!["userAssignedIdentities"]!.AsObject().Select(i => i.Key));
        AssertLiteral(deployed, "properties.keyVaultReferenceIdentity", identity);
        AssertLiteral(deployed, "properties.functionAppConfig.deployment.storage.authentication.userAssignedIdentityResourceId", identity);
    }

    [Fact]
    public void The_role_ids_are_the_built_in_roles_they_are_named_after()
    {
        var roles = CompiledInfra.Main.Root["variables"]!["roles"]!.AsObject()
            .ToDictionary(r => r.Key, r => (string)r.Value!, StringComparer.Ordinal);
        Assert.Equal(s_builtInRoles.OrderBy(r => r.Key, StringComparer.Ordinal), roles.OrderBy(r => r.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Each_identity_holds_the_roles_the_readme_lists_each_on_one_resource()
    {
        var snapshot = CompiledInfra.Snapshot;
        var identity = (string)snapshot.Single("Microsoft.ManagedIdentity/userAssignedIdentities")["id"]!;
        var granted = snapshot.OfType("Microsoft.Authorization/roleAssignments").Select(assignment =>
        {
            var properties = assignment["properties"]!;
            var principalId = (string)properties["principalId"]!;
            var principal = principalId == CompiledInfra.DeployerPrincipalId ? "deployer"
                : ArmExpression.References(principalId).SequenceEqual([(identity, "principalId")]) ? "identity"
                : principalId;

            var roleDefinition = RoleDefinition().Match((string)properties["roleDefinitionId"]!);
            Assert.True(roleDefinition.Success && roleDefinition.Groups["subscription"].Value == DeploymentSnapshot.SubscriptionId,
                $"not a built-in role of the subscription: {properties["roleDefinitionId"]}");
            var role = Assert.Single(s_builtInRoles, r => r.Value == roleDefinition.Groups["role"].Value).Key;

            var scope = snapshot.WithId(ScopeOf((string)assignment["id"]!));
            Assert.True(scope is not null, $"role assignment {assignment["id"]} is not on a resource of the deployment");
            return $"{principal} ({(string?)properties["principalType"]}): {role} on {(string?)scope["type"]}";
        });

        // The README's "Who may do what" (infra/README.md): the identity as a service principal, and
        // whoever ran azd (AZURE_PRINCIPAL_TYPE empty means User) reading the admin token.
        Assert.Equal(
        [
            "deployer (User): keyVaultSecretsUser on Microsoft.KeyVault/vaults",
            "identity (ServicePrincipal): keyVaultCertificatesOfficer on Microsoft.KeyVault/vaults",
            "identity (ServicePrincipal): keyVaultSecretsUser on Microsoft.KeyVault/vaults",
            "identity (ServicePrincipal): monitoringMetricsPublisher on Microsoft.Insights/components",
            "identity (ServicePrincipal): signalRRestApiOwner on Microsoft.SignalRService/signalR",
            "identity (ServicePrincipal): storageBlobDataOwner on Microsoft.Storage/storageAccounts",
            "identity (ServicePrincipal): storageQueueDataContributor on Microsoft.Storage/storageAccounts",
            "identity (ServicePrincipal): storageTableDataContributor on Microsoft.Storage/storageAccounts",
        ], granted.Order(StringComparer.Ordinal));
    }

    // A role assignment is an extension resource: its id is the id of the resource it is on, then its own.
    private static string ScopeOf(string assignmentId)
    {
        var unresolved = UnresolvedAssignmentId().Match(assignmentId);
        if (unresolved.Success)
        {
            return unresolved.Groups["scope"].Value;
        }
        var own = assignmentId.IndexOf("/providers/Microsoft.Authorization/roleAssignments/", StringComparison.OrdinalIgnoreCase);
        Assert.True(own > 0, $"not the id of a role assignment on a resource: {assignmentId}");
        return assignmentId[..own];
    }

    private static void AssertLiteral(JsonObject resource, string path, object expected)
    {
        var actual = path.Split('.').Aggregate((JsonNode?)resource, (node, name) => node?[name]);
        Assert.True(JsonNode.DeepEquals(actual, JsonSerializer.SerializeToNode(expected)),
            $"{resource["type"]} {path} is {actual?.ToJsonString() ?? "not set"}, not {JsonSerializer.Serialize(expected)}");
    }

    [GeneratedRegex(@"^/subscriptions/(?<subscription>[^/]+)/providers/Microsoft\.Authorization/roleDefinitions/(?<role>[0-9a-f-]{36})$")]
    private static partial Regex RoleDefinition();

    [GeneratedRegex(@"^\[extensionResourceId\('(?<scope>[^']+)', 'Microsoft\.Authorization/roleAssignments', ")]
    private static partial Regex UnresolvedAssignmentId();
}
