namespace Gatehouse.Azure.Storage;

/// <summary>
/// The names of Gatehouse's tables, containers and queues. A prefix lets several Gatehouse
/// installations (or test runs) share one storage account without seeing each other.
/// </summary>
public sealed record StorageLayout(string Prefix = "")
{
    /// <summary>One row per control plane, plus the index of their names.</summary>
    public string ControlPlanesTable => $"{Prefix}controlplanes";

    /// <summary>Kong entities, one partition per control plane, with their indexes and the revision row.</summary>
    public string EntitiesTable => $"{Prefix}entities";

    /// <summary>Pinned data plane client certificates, with the index of their thumbprints.</summary>
    public string DpCertificatesTable => $"{Prefix}dpcertificates";

    /// <summary>Data plane nodes, one partition per control plane, a row per node.</summary>
    public string NodesTable => $"{Prefix}nodes";

    /// <summary>System accounts, their access tokens (as hashes) and their role assignments.</summary>
    public string IdentityTable => $"{Prefix}identity";

    /// <summary>Traffic nodes report, one partition per control plane, a row per node, minute and report.</summary>
    public string AnalyticsTable => $"{Prefix}analytics";

    /// <summary>Each control plane's snapshot pointer, and the record of messages that could not be processed.</summary>
    public string SnapshotsTable => $"{Prefix}snapshots";

    /// <summary>Audit entries: one partition per day, and the entries of changes not yet answered.</summary>
    public string AuditTable => $"{Prefix}audit";

    /// <summary>Audit log destinations, the webhook's configuration, delivery cursors and the signing key.</summary>
    public string AuditDeliveryTable => $"{Prefix}auditdelivery";

    /// <summary>Content-addressed snapshots: <c>{control plane}/{config hash}.json</c>.</summary>
    public string SnapshotsContainer => $"{Prefix.ToLowerInvariant()}snapshots";

    /// <summary>Control planes owed a recomposition.</summary>
    public string RecomposeQueue => $"{Prefix.ToLowerInvariant()}recompose";
}
