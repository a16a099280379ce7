using System.Collections.Concurrent;

namespace Gatehouse.Azure.Entities;

/// <summary>
/// The revision row's ETag as this instance last saw it, per control plane: from a read of the
/// row, or from the response of a commit that replaced it. A consistent read needs to know the
/// revision from before it began; any earlier sighting of the row serves, because the row's ETag
/// changes with every commit and never comes back. So a read that finds, once it is done, the
/// ETag it saw before it began knows no commit landed in between, without reading the row first.
/// A stale sighting (another instance committed since) costs one more pass, never a wrong answer.
/// </summary>
internal sealed class SeenRevisionTokens
{
    // An accelerator only: past this many control planes it starts again rather than track use.
    private const int Capacity = 10_000;

    private readonly ConcurrentDictionary<Guid, string> _tokens = new();

    public string? Last(Guid controlPlane) => _tokens.GetValueOrDefault(controlPlane);

    public void Saw(Guid controlPlane, string? token)
    {
        if (token is null)
        {
            _tokens.TryRemove(controlPlane, out _);
            return;
        }
        if (_tokens.Count >= Capacity)
        {
            _tokens.Clear();
        }
        _tokens[controlPlane] = token;
    }
}
