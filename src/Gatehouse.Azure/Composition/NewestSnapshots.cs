namespace Gatehouse.Azure.Composition;

/// <summary>
/// The snapshot this process last created for each control plane, in memory, within
/// <paramref name="maxBytes"/>: a recomposition writes a snapshot and, moments later, the config
/// endpoint reads the same blob to serve or compress it for the pushed nodes. Bytes named by their
/// hash never go stale, and only what was written is kept (what the pointer is about to name, which
/// retention never deletes), not what was read, which may be an old version retention is about to
/// delete. Over the budget, all is forgotten: the next reads go to the blobs again.
/// </summary>
internal sealed class NewestSnapshots(long maxBytes)
{
    private readonly KeptPerControlPlane<(string Hash, ReadOnlyMemory<byte> Content)> _newest = new(maxBytes);

    public ReadOnlyMemory<byte>? Find(Guid controlPlane, string hash) =>
        // Cast, or null would convert to an empty ReadOnlyMemory (through byte[]) and pass for a find.
        _newest.TryGet(controlPlane, out var newest) && newest.Hash == hash ? newest.Content : (ReadOnlyMemory<byte>?)null;

    public void Remember(Guid controlPlane, string hash, ReadOnlyMemory<byte> content) => _newest.Keep(controlPlane, (hash, content), content.Length);
}
