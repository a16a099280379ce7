using Azure.Core;
using Azure.Identity;

namespace Gatehouse.Functions;

/// <summary>
/// The Entra ID identity a connection uses, from its settings section: <c>credential=managedidentity</c>
/// (and <c>clientId</c> for a user-assigned identity), or else <c>DefaultAzureCredential</c>.
/// </summary>
internal static class AzureCredential
{
    /// <summary>The identity for <paramref name="section"/>; <paramref name="settingName"/> is how it is written in the environment, for errors.</summary>
    public static TokenCredential From(IConfigurationSection section, string settingName)
    {
        var clientId = section["clientId"];
        return section["credential"] switch
        {
            "managedidentity" => new ManagedIdentityCredential(
                string.IsNullOrWhiteSpace(clientId) ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId)),
            null or "" => new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId }),
            var other => throw new InvalidOperationException($"{settingName}__credential '{other}' is not supported; use 'managedidentity'."),
        };
    }
}
