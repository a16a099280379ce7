namespace Gatehouse.Azure.Entities;

/// <summary>
/// The layout of a control plane's partition in the entities table that more than one store
/// relies on: its revision row, which outlives the control plane as a tombstone for a while so
/// that a writer racing the deletion finds it deleted instead of writing into a purged partition.
/// </summary>
internal static class EntityPartition
{
    public const string RevisionKey = "rev";
    public const string RevisionProperty = "Revision";
    public const string DeletedProperty = "Deleted";
    public const string ImportIdProperty = "ImportId";
    public const string ImportNextBatchProperty = "ImportNextBatch";
    public const string ImportBatchesProperty = "ImportBatches";

    /// <summary>How long a deleted control plane's revision tombstone stays before it is removed.</summary>
    public static readonly TimeSpan TombstoneLifetime = TimeSpan.FromHours(1);
}
