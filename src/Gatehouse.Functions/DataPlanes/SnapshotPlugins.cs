using System.Collections.Concurrent;
using Gatehouse.Core.Composition;
using Gatehouse.Core.DataPlanes;
using Gatehouse.Functions.Composition;

namespace Gatehouse.Functions.DataPlanes;

/// <summary>
/// The plugins a control plane's current snapshot uses. Their names come with the pointer, recorded
/// when the snapshot was composed, so heartbeats, node lists and config pulls judge nodes without
/// downloading it. The snapshot itself is read only for what the pointer does not carry — the ids
/// of the instances, which only a verdict about plugins names, and the names of a pointer written
/// before they were recorded — once per snapshot: snapshots are content-addressed, so what was
/// read for a hash holds forever.
/// </summary>
internal sealed class SnapshotPlugins(SnapshotReader snapshots)
{
    private const int MaxEntries = 1024;

    private readonly ConcurrentDictionary<(Guid, string), IReadOnlyDictionary<string, IReadOnlyList<string>>> _read = new();

    /// <summary>The names of the plugins the snapshot uses.</summary>
    public async ValueTask<IReadOnlyCollection<string>> NamesAsync(Guid controlPlane, SnapshotPointer pointer, CancellationToken ct) =>
        pointer.Plugins ?? [.. (await InstancesAsync(controlPlane, pointer, ct)).Keys];

    /// <summary>Each plugin the snapshot uses, with the ids of its instances, read from the snapshot.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> InstancesAsync(Guid controlPlane, SnapshotPointer pointer, CancellationToken ct)
    {
        if (_read.TryGetValue((controlPlane, pointer.Hash), out var plugins))
        {
            return plugins;
        }
        plugins = ConfiguredPlugins.Read(await snapshots.ContentAsync(controlPlane, pointer, ct));
        if (_read.Count >= MaxEntries)
        {
            // Old hashes are never asked for again; dropping everything is simpler than tracking use.
            _read.Clear();
        }
        _read[(controlPlane, pointer.Hash)] = plugins;
        return plugins;
    }
}
