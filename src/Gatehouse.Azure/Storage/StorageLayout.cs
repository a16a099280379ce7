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
}
