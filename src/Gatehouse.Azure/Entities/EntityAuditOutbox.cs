using Azure.Data.Tables;
using Gatehouse.Azure.Audit;
using Gatehouse.Core.Audit;

namespace Gatehouse.Azure.Entities;

/// <summary>
/// The audit entries a control plane's commits keep (<see cref="AuditedChange"/>): one row per
/// entry, <c>a|{entry id}</c>, in the partition, with the audit table's properties. A commit of the
/// same request writes it again unchanged (an import commits several batches).
/// </summary>
internal static class EntityAuditOutbox
{
    public const string Prefix = "a|";

    public static string Key(Guid entryId) => Prefix + entryId.ToString("N");

    public static TableEntity Row(string partition, AuditEntry entry) => AuditRows.Write(entry, partition, Key(entry.Id));
}
