using System.Globalization;
using Azure.Security.KeyVault.Certificates;
using Azure.Security.KeyVault.Secrets;
using Gatehouse.Azure.KeyVault;
using Gatehouse.Core.DataPlanes;

namespace Gatehouse.Functions.DataPlanes;

/// <summary>
/// Which issuer mints DP client certificates, read at start so that a misconfiguration stops the
/// app with the reason: <c>Gatehouse__CertificateIssuer</c> = <c>local</c> (default; in-process,
/// self-signed) or <c>keyvault</c> (<c>Gatehouse__KeyVault__Uri</c>, with the app's managed
/// identity or <c>DefaultAzureCredential</c>, as storage is reached).
/// </summary>
internal sealed record CertificateIssuerConfiguration(string Description, DpCertificateOptions Options, Func<IServiceProvider, ICertificateIssuer> Issuer)
{
    public const string IssuerSetting = "Gatehouse:CertificateIssuer";
    public const string KeyVaultSection = "Gatehouse:KeyVault";
    public const string ValidityMonthsSetting = "Gatehouse:Certificates:ValidityMonths";

    public static CertificateIssuerConfiguration Read(IConfiguration configuration)
    {
        var options = new DpCertificateOptions { DefaultValidityMonths = ValidityMonths(configuration) };
        return configuration[IssuerSetting]?.Trim().ToLowerInvariant() switch
        {
            null or "" or "local" => new("local (self-signed, in process)", options, sp => new SelfSignedCertificateIssuer(sp.GetRequiredService<TimeProvider>())),
            "keyvault" => KeyVault(configuration.GetSection(KeyVaultSection), options),
            var other => throw new InvalidOperationException($"Gatehouse__CertificateIssuer '{other}' is not supported; use 'local' or 'keyvault'."),
        };
    }

    private static CertificateIssuerConfiguration KeyVault(IConfigurationSection section, DpCertificateOptions options)
    {
        var value = section["Uri"];
        if (!Uri.TryCreate(value, UriKind.Absolute, out var vault) || vault.Scheme != Uri.UriSchemeHttps)
        {
            throw new InvalidOperationException(
                $"Gatehouse__CertificateIssuer is 'keyvault', so Gatehouse__KeyVault__Uri must be the vault's https URI (https://<name>.vault.azure.net/), not '{value}'.");
        }
        var purge = section["Purge"] is { Length: > 0 } text
            ? bool.TryParse(text, out var parsed) ? parsed : throw new InvalidOperationException($"Gatehouse__KeyVault__Purge must be true or false, not '{text}'.")
            : true;
        var credential = AzureCredential.From(section, "Gatehouse__KeyVault");
        var issuerOptions = new KeyVaultCertificateIssuerOptions { PurgeDeleted = purge };
        return new($"Azure Key Vault {vault}", options, sp => new KeyVaultCertificateIssuer(
            new CertificateClient(vault, credential),
            new SecretClient(vault, credential),
            issuerOptions with { Clock = sp.GetRequiredService<TimeProvider>() }));
    }

    private static int ValidityMonths(IConfiguration configuration)
    {
        var text = configuration[ValidityMonthsSetting];
        if (string.IsNullOrWhiteSpace(text))
        {
            return new DpCertificateOptions().DefaultValidityMonths;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var months) && months is >= 1 and <= DpCertificateOptions.MaxValidityMonths
            ? months
            : throw new InvalidOperationException($"Gatehouse__Certificates__ValidityMonths must be a whole number from 1 to {DpCertificateOptions.MaxValidityMonths}, not '{text}'.");
    }
}
