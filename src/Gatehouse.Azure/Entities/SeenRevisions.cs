using System.Collections.Concurrent;
using Gatehouse.Core.Entities;

namespace Gatehouse.Azure.Entities;

/// <summary>
/// Each control plane's revision as this instance last saw it: from a read of the revision row, or
/// from the response of a commit that replaced it. Any earlier sighting of the row is as good as a
/// fresh read for what follows it, because the row's ETag changes with every commit and never
/// comes back: a consistent read that finds, once done, the ETag it saw before it began knows no
/// commit landed in between, and a commit conditional on a sighting lands only if none has since.
/// A stale sighting (another instance committed) costs one more round, never a wrong answer.
/// </summary>
internal sealed class SeenRevisions
{
    // An accelerator only: past this many control planes it starts again rather than track use.
    private const int Capacity = 10_000;

    private readonly ConcurrentDictionary<Guid, Revision> _seen = new();

    public Revision? Last(Guid controlPlane) => _seen.GetValueOrDefault(controlPlane);

    public void Saw(Guid controlPlane, Revision revision)
    {
        if (revision.Token is null)
        {
            _seen.TryRemove(controlPlane, out _);
            return;
        }
        if (_seen.Count >= Capacity)
        {
            _seen.Clear();
        }
        // Sightings can arrive out of order (a read answered before a commit, recorded after it):
        // the later revision is kept, so writers do not start from one they know is behind.
        _seen.AddOrUpdate(controlPlane, revision, (_, seen) => revision.Number >= seen.Number ? revision : seen);
    }
}
