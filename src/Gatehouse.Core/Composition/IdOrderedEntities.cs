using System.Collections;
using System.Text.Json.Nodes;

namespace Gatehouse.Core.Composition;

/// <summary>
/// A collection's entities as their maker keeps them: in id order (ordinal), so a render takes
/// them as they are, where checking 100,000 ids costs as much as a section's bytes (each id read is
/// a new string). Made by the recomposer's reader, whose collections are sorted by id, and by a
/// group's kept union, which merges its members' entities by id.
/// </summary>
public sealed class IdOrderedEntities(IReadOnlyList<JsonObject> items) : IReadOnlyList<JsonObject>
{
    public JsonObject this[int index] => items[index];

    public int Count => items.Count;

    public IEnumerator<JsonObject> GetEnumerator() => items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
