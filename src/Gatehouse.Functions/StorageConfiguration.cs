using Gatehouse.Azure.Storage;

namespace Gatehouse.Functions;

/// <summary>
/// Reads the storage connection the way the Azure Functions host reads its own connections, so
/// one setting serves both the app and the host's queue trigger:
/// <c>GatehouseStorage</c> holds a connection string (local, Azurite), or
/// <c>GatehouseStorage__tableServiceUri</c>, <c>__blobServiceUri</c>, <c>__queueServiceUri</c>
/// with a managed identity (<c>__credential=managedidentity</c>, <c>__clientId</c> for a user-assigned one).
/// </summary>
public static class StorageConfiguration
{
    public const string SectionName = "GatehouseStorage";

    public static StorageAccount Create(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            try
            {
                return StorageAccount.FromConnectionString(section.Value);
            }
            catch (FormatException e)
            {
                throw new InvalidOperationException($"{SectionName} is not a valid storage connection string: {e.Message}", e);
            }
        }

        var table = ServiceUri(section, "tableServiceUri");
        var blob = ServiceUri(section, "blobServiceUri");
        var queue = ServiceUri(section, "queueServiceUri");
        if (table is null || blob is null || queue is null)
        {
            throw new InvalidOperationException(
                $"Storage is not configured. Set {SectionName} to a connection string (./dev.sh up does, for Azurite), or set " +
                $"{SectionName}__tableServiceUri, {SectionName}__blobServiceUri and {SectionName}__queueServiceUri for a managed identity.");
        }
        return StorageAccount.FromServiceUris(table, blob, queue, AzureCredential.From(section, SectionName));
    }

    private static Uri? ServiceUri(IConfigurationSection section, string key)
    {
        var value = section[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps
            ? uri
            : throw new InvalidOperationException($"{SectionName}__{key} must be an absolute https URI, not '{value}'.");
    }
}
