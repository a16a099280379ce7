using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace Gatehouse.Core.Composition;

/// <summary>
/// Each entity's rendered bytes, kept for as long as the entity object lives (issue #16). The
/// recomposer's reader hands out the same object for an entity until it changes, so a snapshot
/// renders only the entities that changed since the last one and copies the rest. A parent's bytes
/// hold its nested children (an upstream's targets, a consumer's credentials, a group's members),
/// so they are kept with the objects they were rendered from and rendered again when any differs.
/// Held weakly: when the reader lets an entity go, its bytes go with it. Safe to share between
/// recompositions running at once.
/// </summary>
public sealed class RenderedFragments
{
    private sealed record Fragment(string Collection, byte[] Bytes, JsonObject?[] RenderedFrom);

    private readonly ConditionalWeakTable<JsonObject, Fragment> _fragments = new();

    /// <summary>The entity's bytes as last rendered from exactly <paramref name="renderedFrom"/>, else rendered now and kept.</summary>
    internal byte[] Of(string collection, JsonObject entity, JsonObject?[] renderedFrom, Func<byte[]> render)
    {
        if (_fragments.TryGetValue(entity, out var kept) && kept.Collection == collection && SameObjects(kept.RenderedFrom, renderedFrom))
        {
            return kept.Bytes;
        }
        var bytes = render();
        _fragments.AddOrUpdate(entity, new Fragment(collection, bytes, renderedFrom));
        return bytes;
    }

    private static bool SameObjects(JsonObject?[] a, JsonObject?[] b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }
        for (var i = 0; i < a.Length; i++)
        {
            if (!ReferenceEquals(a[i], b[i]))
            {
                return false;
            }
        }
        return true;
    }
}
