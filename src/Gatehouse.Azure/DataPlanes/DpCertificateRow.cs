using Azure.Data.Tables;
using Gatehouse.Core.DataPlanes;

namespace Gatehouse.Azure.DataPlanes;

/// <summary>How a DP client certificate, and its thumbprint index, sit in table rows. Neither holds a private key: there is none to hold.</summary>
internal static class DpCertificateRow
{
    public static TableEntity Write(DpCertificate certificate, string partitionKey, string rowKey) => new(partitionKey, rowKey)
    {
        ["Id"] = certificate.Id,
        ["ControlPlaneId"] = certificate.ControlPlaneId,
        ["Cert"] = certificate.Cert,
        ["Title"] = certificate.Title,
        ["Thumbprint"] = certificate.Thumbprint,
        ["Subject"] = certificate.Subject,
        ["Issuer"] = certificate.Issuer,
        ["NotBefore"] = certificate.NotBefore,
        ["NotAfter"] = certificate.NotAfter,
        ["CreatedAt"] = certificate.CreatedAt,
        ["UpdatedAt"] = certificate.UpdatedAt,
    };

    public static DpCertificate Read(TableEntity row) => new()
    {
        Id = row.GetGuid("Id") ?? throw new FormatException($"DP certificate row {row.RowKey} has no Id."),
        ControlPlaneId = row.GetGuid("ControlPlaneId") ?? throw new FormatException($"DP certificate row {row.RowKey} has no ControlPlaneId."),
        Cert = row.GetString("Cert") ?? "",
        Title = row.GetString("Title") ?? "",
        Thumbprint = row.GetString("Thumbprint") ?? "",
        Subject = row.GetString("Subject") ?? "",
        Issuer = row.GetString("Issuer") ?? "",
        NotBefore = row.GetDateTimeOffset("NotBefore") ?? default,
        NotAfter = row.GetDateTimeOffset("NotAfter") ?? default,
        CreatedAt = row.GetDateTimeOffset("CreatedAt") ?? default,
        UpdatedAt = row.GetDateTimeOffset("UpdatedAt") ?? default,
        Version = row.ETag.ToString(),
    };

    public static TableEntity WritePin(DpCertificatePin pin, string partitionKey, string rowKey) => new(partitionKey, rowKey)
    {
        ["ControlPlaneId"] = pin.ControlPlaneId,
        ["CertificateId"] = pin.CertificateId,
        ["NotAfter"] = pin.NotAfter,
    };

    public static DpCertificatePin ReadPin(TableEntity row) => new(
        row.GetGuid("ControlPlaneId") ?? throw new FormatException($"Thumbprint row {row.RowKey} has no ControlPlaneId."),
        row.GetGuid("CertificateId") ?? throw new FormatException($"Thumbprint row {row.RowKey} has no CertificateId."),
        row.GetDateTimeOffset("NotAfter") ?? default);
}
