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
    /// <summary>
    /// Where a section's value lies in the document, and what it was written from; for a section each
    /// of whose entities is written from itself alone, also where each entity lies (<see cref="Entities"/>).
    /// </summary>
    internal sealed record Section(int Start, int Length, JsonObject[][] Sources, EntitySpans? Entities = null);

    /// <summary>
    /// The entities of a section in the order written, each with where its bytes start and end,
    /// counted from the start of the section (so a section copied whole keeps them). A run of them
    /// that the next render writes again, the same objects in the same order, is copied as one span,
    /// commas and all.
    /// </summary>
    internal sealed record EntitySpans(IReadOnlyList<JsonObject> Written, int[] Starts, int[] Ends);

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

    /// <summary>The section kept for <paramref name="key"/>, whatever it was written from.</summary>
    public Section? Last(string key) => sections.GetValueOrDefault(key);

    public ReadOnlySpan<byte> Bytes(Section section) => document.Span.Slice(section.Start, section.Length);

    /// <summary>The bytes from where the section's entity <paramref name="first"/> starts to where its entity <paramref name="last"/> ends.</summary>
    public ReadOnlySpan<byte> Bytes(Section section, int first, int last) =>
        document.Span[(section.Start + section.Entities!.Starts[first])..(section.Start + section.Entities.Ends[last])];
}
