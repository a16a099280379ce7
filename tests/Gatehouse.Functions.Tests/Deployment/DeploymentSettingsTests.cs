using System.Text.Json;
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
        ["Gatehouse__Analytics__RetentionDays"] = "7 by default: a week of per-minute traffic rows per node",
        ["Gatehouse__Recompose__SweepSeconds"] = "read only by the local sweep timer, which is off on Azure",
        ["Gatehouse__Recompose__VisibilitySeconds"] = "read only by the local poller, which is off on Azure (host.json has the host's)",
        ["Gatehouse__Recompose__CrashAt"] = "crash tests only; unset, nothing crashes",
        ["Gatehouse__Rollouts__CrashAt"] = "crash tests only; unset, nothing crashes",
        ["Gatehouse__KeyVault__Purge"] = "true: the vault infra/ creates has no purge protection, so minted keys are purged",
        ["Gatehouse__Certificates__ValidityMonths"] = "12 months unless the request says otherwise",
        ["Gatehouse__Recompose__CacheEntities"] = "100,000 entities kept in memory by the recomposer: well within a Flex Consumption instance's memory",
        ["Gatehouse__Recompose__ChangesPerRead"] = "256: beyond that many changed entities, one full read is cheaper than reading each",
        ["Gatehouse__Recompose__NewestSnapshotMegabytes"] = "128 MB of snapshots this instance created kept in memory: within a Flex Consumption instance's memory beside the entity cache",
        ["Gatehouse__Recompose__ChangeLogKept"] = "1,000 change log rows behind each snapshot; older ones are trimmed by the sweep",
        ["Gatehouse__Import__StallSeconds"] = "30 s: a stalled import is finished by the next sweep after that (every 5 minutes on Azure)",
        ["Gatehouse__KongVersion"] = "3.9.1: data planes are checked against Kong 3.9 until a deployment says otherwise",
        ["Gatehouse__DataPlane__NodeRetentionHours"] = "24 h, as Konnect and Koko keep nodes",
        ["Gatehouse__DataPlane__HttpsPort"] = "Kestrel's own TLS endpoint, for local runs; on Azure App Service terminates TLS",
        ["Gatehouse__DataPlane__ServerCertificateFile"] = "read only with HttpsPort",
        ["Gatehouse__DataPlane__SidecarImage"] = "gatehouse-sidecar:latest in the quick starts until the operator names the registry they pushed it to",
        ["Gatehouse__DataPlane__KongImage"] = "kong:{Gatehouse__KongVersion}, Kong's own image at the version served",
        ["Gatehouse__Cors__AllowedOrigins"] = "none: no other origin's page may call the API until the operator names it; the platform's own CORS (siteConfig.cors) stays unset so that the app's answers pass",
        ["Gatehouse__SignalR__ConnectionString"] = "the access key form; the SignalR Service infra/ creates refuses keys, so the endpoint and the identity are set instead",
        ["Gatehouse__EntraId__ConsoleScope"] = "api://{Audience}/access_as_user, the scope the README's app registration steps expose; only an API registered otherwise needs another",
        ["Gatehouse__EntraId__Instance"] = "https://login.microsoftonline.com/, Entra ID's public cloud; only sovereign clouds (and the tests' stand-in) need another",
        ["Gatehouse__Audit__CrashAfter"] = "crash tests only; unset, nothing crashes",
        ["Gatehouse__Audit__InterruptedAfterSeconds"] = "300 s: a change whose process died unanswered is listed as interrupted by the next sweep after that",
        ["Gatehouse__Audit__RetentionDays"] = "7 days of audit entries, as Konnect keeps them",
        ["Gatehouse__Audit__SweepSeconds"] = "read only by the local audit sweep timer, which is off on Azure (the Sweep function runs the audit sweep)",
        ["Gatehouse__Audit__TrustForwardedFor"] = "true under the Functions host, whose front end sets X-Forwarded-For and is the only way in",
        ["Gatehouse__Audit__AllowHttpEndpoints"] = "false: audit webhooks go to https destinations only, as Konnect sends",
        ["Gatehouse__Audit__DeliveryBatchSize"] = "100 entries per webhook request",
        ["Gatehouse__Audit__DeliveryFirstRetrySeconds"] = "1 s after a failed delivery, doubling, as Konnect retries",
        ["Gatehouse__Audit__DeliveryLongestRetrySeconds"] = "30 s at most between retries, as Konnect retries",
        ["Gatehouse__Audit__DeliverySeconds"] = "read only by the local delivery timer, which is off on Azure (the Sweep function delivers)",
        ["Gatehouse__Audit__DeliverySettleSeconds"] = "5 s: entries younger than that wait for the next delivery, so a slower instance's entry is not passed over",
        ["Gatehouse__Versions__GraceMinutes"] = "10 minutes before an unnamed snapshot may be deleted: longer than any recomposition",
        ["Gatehouse__Versions__Keep"] = "the last 50 config versions of each control plane are kept",
        ["Gatehouse__Versions__KeepDays"] = "0: versions are kept by count alone",
        ["FUNCTIONS_CUSTOMHANDLER_PORT"] = "set by the Functions host when it starts the app",
    };

    // Settings for the Functions host and the platform rather than the app.
    private static readonly string[] s_platformPrefixes = ["AzureWebJobsStorage__", "APPLICATIONINSIGHTS_"];

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
        var settings = CompiledInfra.AppSettings();
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
        foreach (var name in CompiledInfra.AppSettings().Keys)
        {
            Assert.True(read.Contains(name) || s_platformPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)) || readme.Contains($"`{name}`", StringComparison.Ordinal),
                $"app setting {name} is read by nothing and not in the README's configuration table");
        }
    }

    [Fact]
    public void Storage_is_reached_by_identity_for_both_the_app_and_the_host()
    {
        var settings = CompiledInfra.AppSettings();
        var identity = CompiledInfra.Snapshot.Single("Microsoft.ManagedIdentity/userAssignedIdentities");
        var account = CompiledInfra.Snapshot.Single("Microsoft.Storage/storageAccounts");
        foreach (var connection in new[] { StorageConfiguration.SectionName, "AzureWebJobsStorage" })
        {
            // No connection string form at all.
            Assert.False(settings.ContainsKey(connection), $"{connection} is set: a connection string");
            Assert.Equal("managedidentity", ArmExpression.Literal(settings[$"{connection}__credential"]));
            // The client id of the identity the app runs as, and the endpoints of the account it is granted roles on.
            Assert.Equal([((string)identity["id"]!, "clientId")], ArmExpression.References(settings[$"{connection}__clientId"]));
            foreach (var service in new[] { "blob", "queue", "table" })
            {
                Assert.Equal([((string)account["id"]!, $"primaryEndpoints.{service}")], ArmExpression.References(settings[$"{connection}__{service}ServiceUri"]));
            }
        }
    }

    [Fact]
    public void The_forwarded_client_certificate_is_trusted_only_where_the_front_end_is_its_sole_author()
    {
        Assert.Equal("true", ArmExpression.Literal(CompiledInfra.AppSettings()["Gatehouse__DataPlane__TrustForwardedClientCert"]));
        // With client certificates on, App Service replaces any X-ARR-ClientCert a client sends;
        // without them, the header would pass through from anyone. OptionalInteractiveUser asks every
        // client for one without prompting browsers on /docs (README, "Connecting a data plane").
        var site = CompiledInfra.Main.Resource("Microsoft.Web/sites")["properties"]!;
        Assert.Equal(JsonValueKind.True, site["clientCertEnabled"]?.GetValueKind());
        Assert.Equal("OptionalInteractiveUser", (string?)site["clientCertMode"]);
    }

    [Fact]
    public void No_app_setting_carries_a_key_or_a_secret()
    {
        // As deployed: a literal, or an expression that only formats properties read from resources.
        // (A secure parameter stays an expression in a snapshot, so the admin token would show as one.)
        foreach (var (name, value) in CompiledInfra.AppSettings())
        {
            if (ArmExpression.Literal(value) is { } literal)
            {
                Assert.False(SecretLooking().IsMatch(literal), $"app setting {name} looks like it carries a secret: {literal}");
                continue;
            }
            Assert.Subset(new HashSet<string>(["format", "reference"], StringComparer.OrdinalIgnoreCase), ArmExpression.Functions(value));
            var read = ArmExpression.References(value);
            Assert.NotEmpty(read);
            Assert.All(read, r => Assert.False(SecretLooking().IsMatch(r.Property), $"app setting {name} reads {r.Property}, which looks like a secret: {value}"));
        }

        // The admin token is a Key Vault reference to the secret that holds the secure parameter, never its value.
        var secret = Assert.Single(CompiledInfra.Snapshot.OfType("Microsoft.KeyVault/vaults/secrets"), s => (string?)s["properties"]!["value"] == "[parameters('adminToken')]");
        var adminToken = CompiledInfra.AppSettings()["Gatehouse__AdminToken"];
        Assert.StartsWith("[format('@Microsoft.KeyVault(SecretUri={0})', reference(", adminToken);
        Assert.Equal([((string)secret["id"]!, "secretUri")], ArmExpression.References(adminToken));
    }

    [Fact]
    public void The_secure_admin_token_parameter_goes_to_key_vault_and_nowhere_else()
    {
        // Where parameters('adminToken') is read, template by template (a module's parameters are its own).
        var reads = CompiledInfra.Main.SelfAndModules()
            .SelectMany(t => t.OwnStrings().Where(s => s.Value.Contains("parameters('adminToken')", StringComparison.Ordinal)).Select(s => $"{t.Name}: {s.Path}"));
        Assert.Equal(
            ["main: resources[keyvault].properties.parameters.adminToken.value", "main/keyvault: resources[Microsoft.KeyVault/vaults/secrets].properties.value"],
            reads);
        // Declared secure wherever it is declared: in main and in the Key Vault module only.
        var declared = CompiledInfra.Main.SelfAndModules().Where(t => t.Root["parameters"]?["adminToken"] is not null).ToList();
        Assert.Equal(["main", "main/keyvault"], declared.Select(t => t.Name));
        Assert.All(declared, t => Assert.Equal("securestring", (string?)t.Root["parameters"]!["adminToken"]!["type"]));
    }

    [Fact]
    public void No_template_lists_keys_or_connection_strings()
    {
        foreach (var (file, template) in CompiledInfra.Templates)
        {
            foreach (var (path, value) in new ArmTemplate(template).SelfAndModules().SelectMany(t => t.OwnStrings()))
            {
                Assert.False(KeyListing().IsMatch(value), $"{file} lists keys or connection strings at {path}: {value}");
            }
        }
    }

    [Fact]
    public async Task The_app_starts_its_configuration_from_the_azure_settings_with_local_delivery_off()
    {
        // The settings as the platform hands them to the process: expressions resolved to values of their shape.
        var settings = CompiledInfra.AppSettings().ToDictionary(
            s => s.Key.Replace("__", ":", StringComparison.Ordinal),
            s => ArmExpression.Literal(s.Value) ?? s.Key switch
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

    [GeneratedRegex(@"(?i)\blist(Keys|AccountSas|ServiceSas|ConnectionStrings|Secrets|Credentials?)\(|\.listKeys\(|AccountKey=")]
    private static partial Regex KeyListing();
}
