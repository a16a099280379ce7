using System.Collections.Concurrent;
using Gatehouse.Core.Composition;
using Gatehouse.Core.DataPlanes;
using Gatehouse.Functions.Composition;

namespace Gatehouse.Functions.DataPlanes;

/// <summary>
/// The plugins a control plane's current snapshot uses, read once per snapshot: snapshots are
/// content-addressed, so what was read for a hash holds forever, and heartbeats and node lists
/// need it without downloading the snapshot each time.
/// </summary>
internal sealed class SnapshotPlugins(SnapshotReader snapshots)
{
    private const int MaxEntries = 1024;

    private readonly ConcurrentDictionary<(Guid, string), IReadOnlyDictionary<string, IReadOnlyList<string>>> _read = new();

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> OfAsync(
        Guid controlPlane, SnapshotPointer pointer, CancellationToken ct, ReadOnlyMemory<byte>? content = null)
    {
        if (_read.TryGetValue((controlPlane, pointer.Hash), out var plugins))
        {
            return plugins;
        }
        plugins = ConfiguredPlugins.Read(content ?? await snapshots.ContentAsync(controlPlane, pointer, ct));
        if (_read.Count >= MaxEntries)
        {
            // Old hashes are never asked for again; dropping everything is simpler than tracking use.
            _read.Clear();
        }
        _read[(controlPlane, pointer.Hash)] = plugins;
        return plugins;
    }
}
