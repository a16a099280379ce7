using System.Text.Json.Nodes;

namespace Gatehouse.Core.Composition;

/// <summary>
/// A target's last rendered document, section by section (issue #16): where each top-level value
/// lies in it, the entities it was written from (its own and the collections nested into it), and
/// the hashes. A section whose entities are the same objects, in the same order, is the same bytes
/// with the same hash, so the next render copies it and does not hash it again: after one route
/// changes in a group of 100,000 entities, only the routes section is rendered and hashed.
/// </summary>
internal sealed class RenderedSections(ReadOnlyMemory<byte> document, IReadOnlyDictionary<string, RenderedSections.Section> sections, IReadOnlyList<string> restKeys, ConfigHash hashes)
{
    /// <summary>Where a section's value lies in the document, and what it was written from.</summary>
    internal sealed record Section(int Start, int Length, JsonObject[][] Sources);

    public ConfigHash Hashes => hashes;

    /// <summary>The keys folded into the <c>rest</c> hash, in order.</summary>
    public IReadOnlyList<string> RestKeys => restKeys;

    /// <summary>The section kept for <paramref name="key"/> when it was written from exactly these objects, in this order.</summary>
    public Section? Find(string key, IReadOnlyList<JsonObject>[] sources)
    {
        if (!sections.TryGetValue(key, out var kept) || kept.Sources.Length != sources.Length)
        {
            return null;
        }
        for (var i = 0; i < sources.Length; i++)
        {
            if (!RenderedFragments.SameObjects(kept.Sources[i], sources[i]))
            {
                return null;
            }
        }
        return kept;
    }

    public ReadOnlySpan<byte> Bytes(Section section) => document.Span.Slice(section.Start, section.Length);
}
