using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Gatehouse.Azure.Composition;

/// <summary>
/// One value per control plane, in memory, within <paramref name="maxBytes"/> in all: the rule the
/// snapshot store's two keeps follow (<see cref="NewestSnapshots"/>, <see cref="ChunkedSnapshotGzip"/>).
/// A control plane's value replaces its last; one larger than the budget is not kept; over the
/// budget, all are forgotten, and each is made again, from storage or afresh, when next needed.
/// </summary>
internal sealed class KeptPerControlPlane<T>(long maxBytes)
{
    private readonly ConcurrentDictionary<Guid, (T Value, long Bytes)> _kept = new();
    private readonly Lock _budget = new();
    private long _bytes;

    public bool TryGet(Guid controlPlane, [MaybeNullWhen(false)] out T value)
    {
        var found = _kept.TryGetValue(controlPlane, out var kept);
        value = kept.Value;
        return found;
    }

    /// <summary>Keeps <paramref name="value"/>, which <paramref name="bytes"/> says how much memory it holds, in place of the control plane's last.</summary>
    public void Keep(Guid controlPlane, T value, long bytes)
    {
        lock (_budget)
        {
            if (_kept.TryRemove(controlPlane, out var before))
            {
                _bytes -= before.Bytes;
            }
            if (bytes > maxBytes)
            {
                return;
            }
            if (_bytes + bytes > maxBytes)
            {
                _kept.Clear();
                _bytes = 0;
            }
            _kept[controlPlane] = (value, bytes);
            _bytes += bytes;
        }
    }
}
