namespace Gatehouse.Core.DataPlanes;

/// <summary>
/// How many of a control plane's live nodes stand where: by <see cref="NodeView.SyncStatus"/> and
/// by <see cref="CompatibilityStatus.State"/>, counted from the same <see cref="NodeView"/>s the
/// node list shows, so an overview's counts and the list never disagree about a node.
/// </summary>
public sealed record NodeCounts(int Total, int InSync, int OutOfSync, IReadOnlyDictionary<string, int> ByCompatibility)
{
    /// <summary>The compatibility states counted, each present (zero when no node has it): Koko's three that a node can be given.</summary>
    public static IReadOnlyList<string> CompatibilityStates { get; } =
        [CompatibilityStatus.FullyCompatible, CompatibilityStatus.Incompatible, CompatibilityStatus.Unknown];

    public static NodeCounts None { get; } = Of([]);

    public static NodeCounts Of(IReadOnlyCollection<NodeView> views)
    {
        ArgumentNullException.ThrowIfNull(views);
        var byCompatibility = CompatibilityStates.ToDictionary(state => state, _ => 0, StringComparer.Ordinal);
        var inSync = 0;
        foreach (var view in views)
        {
            inSync += view.SyncStatus == NodeView.InSync ? 1 : 0;
            byCompatibility[view.Compatibility.State] = byCompatibility.GetValueOrDefault(view.Compatibility.State) + 1;
        }
        return new NodeCounts(views.Count, inSync, views.Count - inSync, byCompatibility);
    }
}
