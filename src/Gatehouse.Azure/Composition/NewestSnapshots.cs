using System.Collections.Concurrent;

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
    private readonly ConcurrentDictionary<Guid, (string Hash, ReadOnlyMemory<byte> Content)> _newest = new();
    private readonly Lock _budget = new();
    private long _bytes;

    public ReadOnlyMemory<byte>? Find(Guid controlPlane, string hash) =>
        _newest.TryGetValue(controlPlane, out var newest) && newest.Hash == hash ? newest.Content : (ReadOnlyMemory<byte>?)null;

    public void Remember(Guid controlPlane, string hash, ReadOnlyMemory<byte> content)
    {
        lock (_budget)
        {
            if (_newest.TryRemove(controlPlane, out var before))
            {
                _bytes -= before.Content.Length;
            }
            if (content.Length > maxBytes)
            {
                return;
            }
            if (_bytes + content.Length > maxBytes)
            {
                _newest.Clear();
                _bytes = 0;
            }
            _newest[controlPlane] = (hash, content);
            _bytes += content.Length;
        }
    }
}
