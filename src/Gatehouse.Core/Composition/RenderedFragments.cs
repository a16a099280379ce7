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
/// Also each target's last document by section (<see cref="RenderedSections"/>), so a section none
/// of whose entities changed is copied whole with its hashes. A document is kept with the object
/// that holds its target's entities in memory (the reader's entry for a control plane, a group's
/// kept union: <see cref="EntitySnapshot.Holder"/>), weakly, so it goes when they are evicted and
/// the entity budget bounds it too: a document is smaller than the objects it was written from.
/// </summary>
public sealed class RenderedFragments
{
    private sealed record Fragment(string Collection, byte[] Bytes, JsonObject?[] RenderedFrom);

    private readonly ConditionalWeakTable<JsonObject, Fragment> _fragments = new();
    private readonly ConditionalWeakTable<object, RenderedSections> _sections = new();
    private long _copied;
    private long _rendered;
    private long _entitiesCopied;

    /// <summary>Top-level sections copied from a target's last document, and those written entity by entity: what the kept sections save, for benchmarks and tests.</summary>
    public long SectionsCopied => Interlocked.Read(ref _copied);

    public long SectionsRendered => Interlocked.Read(ref _rendered);

    /// <summary>Entities of sections written anew that were copied from the last document in runs, not written one by one.</summary>
    public long EntitiesCopied => Interlocked.Read(ref _entitiesCopied);

    internal void Count(bool copied) => Interlocked.Increment(ref copied ? ref _copied : ref _rendered);

    internal void CountCopied(int entities) => Interlocked.Add(ref _entitiesCopied, entities);

    internal RenderedSections? SectionsOf(object holder) => _sections.TryGetValue(holder, out var kept) ? kept : null;

    internal void Keep(object holder, RenderedSections rendered) => _sections.AddOrUpdate(holder, rendered);

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

    /// <summary>The same objects in the same order: what a kept rendering was made from, against what is to be rendered.</summary>
    internal static bool SameObjects(IReadOnlyList<JsonObject?> a, IReadOnlyList<JsonObject?> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }
        for (var i = 0; i < a.Count; i++)
        {
            if (!ReferenceEquals(a[i], b[i]))
            {
                return false;
            }
        }
        return true;
    }
}
