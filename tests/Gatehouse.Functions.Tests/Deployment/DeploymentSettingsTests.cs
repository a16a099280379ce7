using System.Text.RegularExpressions;
using Gatehouse.Azure.SignalR;
using Gatehouse.Azure.Storage;
using Gatehouse.Core.DataPlanes.Push;
using Gatehouse.Functions.Composition;
using Gatehouse.Testing;
using Microsoft.Extensions.Hosting;

namespace Gatehouse.Functions.Tests.Deployment;

/// <summary>
/// The app settings infra/ gives the function app agree with what the code reads, and carry no
/// secret: storage by identity, the admin token as a Key Vault reference.
/// </summary>
public sealed partial class DeploymentSettingsTests
{
    // Settings the code reads that Azure leaves unset on purpose, and why that is safe there.
    private static readonly Dictionary<string, string> s_unsetOnAzure = new(StringComparer.Ordinal)
    {
        ["GatehouseStorage"] = "the connection string form, for Azurite; on Azure the identity form (__…ServiceUri) is set",
        ["Gatehouse__Storage__Prefix"] = "empty: Recompose/function.json names the queue without a prefix",
        ["Gatehouse__Recompose__SweepSeconds"] = "read only by the local sweep timer, which is off on Azure",
        ["Gatehouse__Recompose__VisibilitySeconds"] = "read only by the local poller, which is off on Azure (host.json has the host's)",
        ["Gatehouse__Recompose__CrashAt"] = "crash tests only; unset, nothing crashes",
        ["Gatehouse__KeyVault__Purge"] = "true: the vault infra/ creates has no purge protection, so minted keys are purged",
        ["Gatehouse__Certificates__ValidityMonths"] = "12 months unless the request says otherwise",
        ["Gatehouse__Import__StallSeconds"] = "30 s: a stalled import is finished by the next sweep after that (every 5 minutes on Azure)",
        ["Gatehouse__KongVersion"] = "3.9.1: data planes are checked against Kong 3.9 until a deployment says otherwise",
        ["Gatehouse__DataPlane__NodeRetentionHours"] = "24 h, as Konnect and Koko keep nodes",
        ["Gatehouse__DataPlane__HttpsPort"] = "Kestrel's own TLS endpoint, for local runs; on Azure App Service terminates TLS",
        ["Gatehouse__DataPlane__ServerCertificateFile"] = "read only with HttpsPort",
        ["Gatehouse__SignalR__ConnectionString"] = "the access key form; the SignalR Service infra/ creates refuses keys, so the endpoint and the identity are set instead",
        ["FUNCTIONS_CUSTOMHANDLER_PORT"] = "set by the Functions host when it starts the app",
    };

    // Settings for the Functions host and the platform rather than the app.
    private static readonly string[] s_platformPrefixes = ["AzureWebJobsStorage__", "APPLICATIONINSIGHTS_"];

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
    public void The_scan_finds_the_settings_the_code_is_known_to_read()
    {
        var read = SettingsReadByCode.Find();
        Assert.Superset(new SortedSet<string>
        {
            "Gatehouse__AdminToken", "Gatehouse__PublicUrl", "Gatehouse__Recompose__Local", "Gatehouse__Storage__Prefix",
            "GatehouseStorage", "GatehouseStorage__tableServiceUri", "GatehouseStorage__blobServiceUri", "GatehouseStorage__queueServiceUri",
            "GatehouseStorage__credential", "GatehouseStorage__clientId", "FUNCTIONS_CUSTOMHANDLER_PORT",
            "Gatehouse__SignalR__Endpoint", "Gatehouse__SignalR__ConnectionString", "Gatehouse__SignalR__credential", "Gatehouse__SignalR__clientId",
        }, new SortedSet<string>(read));
    }

    [Fact]
    public void Every_setting_the_code_reads_is_set_on_azure_or_safely_left_unset()
    {
        var settings = InfraFiles.AppSettings();
        var missing = SettingsReadByCode.Find().Where(name => !settings.ContainsKey(name) && !s_unsetOnAzure.ContainsKey(name)).ToList();
        Assert.True(missing.Count == 0, $"read by the code but neither set in infra/modules/functionapp.bicep nor known safe to leave unset: {string.Join(", ", missing)}");
        // And what is unset on purpose stays unset (a prefix would move the app off the queue the trigger reads).
        Assert.DoesNotContain(s_unsetOnAzure.Keys, settings.ContainsKey);
    }

    [Fact]
    public void Every_app_setting_is_read_by_the_code_or_the_platform_or_documented()
    {
        var read = SettingsReadByCode.Find();
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "README.md"));
        foreach (var name in InfraFiles.AppSettings().Keys)
        {
            Assert.True(read.Contains(name) || s_platformPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)) || readme.Contains($"`{name}`", StringComparison.Ordinal),
                $"app setting {name} is read by nothing and not in the README's configuration table");
        }
    }

    [Fact]
    public void Storage_is_reached_by_identity_for_both_the_app_and_the_host()
    {
        var settings = InfraFiles.AppSettings();
        foreach (var connection in new[] { StorageConfiguration.SectionName, "AzureWebJobsStorage" })
        {
            // No connection string form at all.
            Assert.False(settings.ContainsKey(connection), $"{connection} is set: a connection string");
            Assert.Equal("managedidentity", InfraFiles.Literal(settings[$"{connection}__credential"]));
            Assert.Equal("identityClientId", settings[$"{connection}__clientId"]);
            foreach (var service in new[] { "blob", "queue", "table" })
            {
                Assert.Equal($"storageEndpoints.{service}", settings[$"{connection}__{service}ServiceUri"]);
            }
        }
    }

    [Fact]
    public void The_forwarded_client_certificate_is_trusted_only_where_the_front_end_is_its_sole_author()
    {
        Assert.Equal("true", InfraFiles.Literal(InfraFiles.AppSettings()["Gatehouse__DataPlane__TrustForwardedClientCert"]));
        // With client certificates on, App Service replaces any X-ARR-ClientCert a client sends;
        // without them, the header would pass through from anyone.
        var site = InfraFiles.Read(Path.Combine("modules", "functionapp.bicep"));
        Assert.Matches(@"(?m)^\s*clientCertEnabled: true\s*$", site);
        Assert.Matches(@"(?m)^\s*clientCertMode: '(Optional|OptionalInteractiveUser|Required)'\s*$", site);
    }

    [Fact]
    public void No_app_setting_carries_a_key_or_a_secret()
    {
        var settings = InfraFiles.AppSettings();
        foreach (var (name, value) in settings)
        {
            Assert.False(SecretLooking().IsMatch(value), $"app setting {name} looks like it carries a secret: {value}");
        }
        // The admin token is a Key Vault reference, never its value.
        Assert.Matches(@"^'@Microsoft\.KeyVault\(SecretUri=\$\{adminTokenUri\}\)'$", settings["Gatehouse__AdminToken"]);
        Assert.DoesNotContain(settings.Values, v => AdminTokenParameter().IsMatch(v));

        // The secure parameter goes to Key Vault and nowhere else.
        var main = InfraFiles.Read("main.bicep");
        Assert.Equal(["param adminToken string", "adminToken: adminToken"], main.Split('\n').Select(l => l.Trim()).Where(l => AdminTokenParameter().IsMatch(l) && !l.StartsWith("//", StringComparison.Ordinal)));
        var keyVaultModule = main[main.IndexOf("module keyVault 'modules/keyvault.bicep'", StringComparison.Ordinal)..];
        Assert.Contains("adminToken: adminToken", keyVaultModule[..keyVaultModule.IndexOf("\nmodule ", StringComparison.Ordinal)]);
        Assert.DoesNotMatch(AdminTokenParameter(), InfraFiles.Read(Path.Combine("modules", "functionapp.bicep")));
        Assert.Matches(@"@secure\(\)[^@]*(@[^\n]*\n)*\s*param adminToken string", main);

        // No template reads a key or connection string out of a resource.
        foreach (var (file, text) in InfraFiles.AllBicep())
        {
            Assert.False(KeyListing().IsMatch(text), $"{file} lists keys or connection strings");
        }
    }

    [Fact]
    public void Every_service_refuses_keys_and_grants_roles_to_identities()
    {
        Assert.Contains("allowSharedKeyAccess: false", InfraFiles.Read(Path.Combine("modules", "storage.bicep")));
        Assert.Contains("allowBlobPublicAccess: false", InfraFiles.Read(Path.Combine("modules", "storage.bicep")));
        Assert.Contains("enableRbacAuthorization: true", InfraFiles.Read(Path.Combine("modules", "keyvault.bicep")));
        var signalR = InfraFiles.Read(Path.Combine("modules", "signalr.bicep"));
        Assert.Contains("disableLocalAuth: true", signalR);
        Assert.Matches(@"flag: 'ServiceMode'\s+value: 'Serverless'", signalR);
        Assert.Contains("DisableLocalAuth: true", InfraFiles.Read(Path.Combine("modules", "monitoring.bicep")));
        var functionApp = InfraFiles.Read(Path.Combine("modules", "functionapp.bicep"));
        Assert.Matches(@"runtime: \{\s+name: 'custom'", functionApp);
        Assert.Matches(@"tier: 'FlexConsumption'\s+name: 'FC1'", functionApp);
        Assert.Contains("type: 'UserAssignedIdentity'", functionApp);
        Assert.Contains("keyVaultReferenceIdentity: identityId", functionApp);

        // The role ids are the built-in roles they are named after.
        var main = InfraFiles.Read("main.bicep");
        var granted = RoleVariable().Matches(main).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["id"].Value, StringComparer.Ordinal);
        Assert.Equal(s_builtInRoles.OrderBy(r => r.Key, StringComparer.Ordinal), granted.OrderBy(r => r.Key, StringComparer.Ordinal));
        foreach (var role in s_builtInRoles.Keys)
        {
            Assert.Contains($"roleDefinitionId: roles.{role}", main);
        }
    }

    [Fact]
    public async Task The_app_starts_its_configuration_from_the_azure_settings_with_local_delivery_off()
    {
        // The settings as the platform hands them to the process: expressions resolved to values of their shape.
        var settings = InfraFiles.AppSettings().ToDictionary(
            s => s.Key.Replace("__", ":", StringComparison.Ordinal),
            s => InfraFiles.Literal(s.Value) ?? s.Key switch
            {
                var k when k.EndsWith("ServiceUri", StringComparison.Ordinal) => $"https://stexample.{k[(k.LastIndexOf("__", StringComparison.Ordinal) + 2)..^"ServiceUri".Length]}.core.windows.net/",
                var k when k.EndsWith("__clientId", StringComparison.Ordinal) => "00000000-0000-0000-0000-000000000001",
                "Gatehouse__AdminToken" => "resolved-from-key-vault-0123456789abcdef",
                _ => "https://example.invalid",
            });
        Assert.Equal("false", settings["Gatehouse:Recompose:Local"]);

        var app = GatehouseApp.Build([], builder => builder.Configuration.AddInMemoryCollection(settings!));
        await using (app)
        {
            var storage = app.Services.GetRequiredService<StorageAccount>();
            Assert.Equal(new Uri("https://stexample.table.core.windows.net/"), storage.Tables.Uri);
            Assert.Equal(new Uri("https://stexample.blob.core.windows.net/"), storage.Blobs.Uri);
            Assert.Equal(new Uri("https://stexample.queue.core.windows.net/"), storage.Queues.Uri);
            Assert.Equal("", app.Services.GetRequiredService<StorageLayout>().Prefix);
            // Push goes through Azure SignalR Service with the identity, not the in-process hub.
            Assert.Equal(new Uri("https://example.invalid"), app.Services.GetRequiredService<SignalRServiceClient>().Endpoint);
            Assert.IsType<SignalRServiceNegotiator>(app.Services.GetRequiredService<IDataPlaneNegotiator>());
            var hosted = app.Services.GetServices<IHostedService>().Select(s => s.GetType()).ToList();
            Assert.DoesNotContain(typeof(RecomposePoller), hosted);
            Assert.DoesNotContain(typeof(SweepTimer), hosted);
        }
    }

    [GeneratedRegex(@"(?i)AccountKey|SharedAccessKey|SharedAccessSignature|\bsig=|password|pwd=|listKeys|listConnectionStrings|primaryKey|secondaryKey|accessKey|secret(?!Uri)")]
    private static partial Regex SecretLooking();

    [GeneratedRegex(@"\badminToken\b")]
    private static partial Regex AdminTokenParameter();

    [GeneratedRegex(@"(?i)\blist(Keys|AccountSas|ServiceSas|ConnectionStrings|Secrets|Credentials?)\(|\.listKeys\(|AccountKey=")]
    private static partial Regex KeyListing();

    [GeneratedRegex(@"^\s*(?<name>[a-zA-Z]+): '(?<id>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})'", RegexOptions.Multiline)]
    private static partial Regex RoleVariable();
}
