using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;

namespace Gatehouse.Core.Composition;

/// <summary>A rendered snapshot: its JSON bytes and its hashes.</summary>
public sealed record RenderedConfig(ReadOnlyMemory<byte> Json, ConfigHash Hashes)
{
    public JsonObject Parse() => JsonNode.Parse(Json.Span)!.AsObject();
}

/// <summary>
/// Renders a control plane's entities as Kong declarative configuration (<c>_format_version: "3.0"</c>),
/// the document a DB-less Kong loads through <c>POST /config</c> and decK keeps in git, with its
/// hashes (<see cref="ConfigHash.Of"/>). Deterministic: the same entities give byte-identical output, whatever order they
/// come in.
/// <list type="bullet">
/// <item>collections in a fixed order, entities sorted by id, fields in Kong's schema order;</item>
/// <item>unset (null) fields and timestamps left out, so that only content changes the bytes;</item>
/// <item>targets nested in their upstream, SNIs in their certificate, consumer group members in their group,
/// credentials in their consumer — decK's form, which has no top-level targets, SNIs or credentials
/// (<see cref="DeclarativeNesting"/>);</item>
/// <item><c>_transform: false</c> when it holds basic-auth credentials, whose passwords are stored hashed:
/// as Kong's own export says (kong/db/declarative/export.lua:144), so that neither a data plane nor
/// an import hashes them again (kong/db/declarative/import.lua:426-470);</item>
/// <item>references as decK writes them: a route's service and a key's set as <c>{"id"}</c>, a plugin's
/// scopes and a service's client certificate as the id string.</item>
/// </list>
/// Written straight from the stored entities to UTF-8, without building a second tree: a group of
/// 100,000 entities renders in well under a second.
/// </summary>
public static class DeclarativeConfig
{
    public const string FormatVersion = "3.0";

    /// <summary>Top-level sections in the order they are written: all but what decK nests in its parent (<see cref="DeclarativeNesting"/>).</summary>
    private static readonly EntitySchema[] s_sections =
        [.. KongSchemas.All.Where(s => !s.Internal && !DeclarativeNesting.IsWrittenNested(s))];

    /// <summary>Kong's <c>_transform</c>: whether a loader is to run on-write transformations on this document's values.</summary>
    public const string TransformKey = "_transform";

    /// <summary>Foreign keys decK writes as the bare id string rather than <c>{"id"}</c>, by collection.</summary>
    private static readonly Dictionary<string, HashSet<string>> s_idStringReferences = new(StringComparer.Ordinal)
    {
        ["plugins"] = ["service", "route", "consumer", "consumer_group"],
        ["services"] = ["client_certificate"],
    };

    private static readonly JsonWriterOptions s_options = new() { SkipValidation = true };

    public static JsonObject Render(IReadOnlyDictionary<string, IReadOnlyList<JsonObject>> entities) => Write(entities).Parse();

    /// <summary>
    /// With <paramref name="fragments"/>, each entity's bytes come from what was rendered for the
    /// same object before, where there is one: the same output, rendered only for what changed.
    /// With a <paramref name="holder"/> too (what holds the target's entities, <see cref="EntitySnapshot.Holder"/>),
    /// a section written from the same objects as in the last render kept with it is copied from that
    /// document with its hashes, without a look at its entities.
    /// </summary>
    public static RenderedConfig Write(
        IReadOnlyDictionary<string, IReadOnlyList<JsonObject>> entities, RenderedFragments? fragments = null, object? holder = null)
    {
        IReadOnlyList<JsonObject> Of(string collection) => entities.GetValueOrDefault(collection) ?? [];

        var children = new Children(Of, fragments);
        var planned = Plan(Of, children);
        // The last document's sections that were written from these very objects are copied with their hashes.
        var keeping = holder is not null && fragments is not null;
        var kept = keeping ? fragments!.SectionsOf(holder!) : null;
        var reused = planned.Select(p => kept?.Find(p.Key, p.Sources)).ToArray();
        var restKeys = planned.Select(p => p.Key).Where(ConfigHash.Sections.IsRest).ToList();
        var restReused = kept is not null && restKeys.SequenceEqual(kept.RestKeys)
            && planned.Select((p, i) => !ConfigHash.Sections.IsRest(p.Key) || reused[i] is not null).All(x => x);

        // Sized for the whole document up front (entities render to a few hundred bytes each), so a
        // large group is not copied through every doubling of the buffer.
        var output = new ArrayBufferWriter<byte>(Math.Max(1 << 16, entities.Values.Sum(list => list.Count) * 320));
        var written = keeping ? new Dictionary<string, RenderedSections.Section>(StringComparer.Ordinal) : null;
        using var sections = new ConfigHash.Sections();
        using (var writer = new Utf8JsonWriter(output, s_options))
        {
            writer.WriteStartObject();
            for (var i = 0; i < planned.Count; i++)
            {
                var (key, sources, write, _) = planned[i];
                RenderedSections.EntitySpans? spans = null;
                writer.WritePropertyName(key);
                writer.Flush();
                var start = output.WrittenCount;
                // Each top-level value is hashed as it is written, from the bytes it was written as: the
                // hashes ConfigHash.Of reads off the document, without reading it again.
                if (reused[i] is { } section)
                {
                    writer.WriteRawValue(kept!.Bytes(section), skipInputValidation: true);
                    writer.Flush();
                    if (!ConfigHash.Sections.IsRest(key))
                    {
                        sections.Reuse(key, kept.Hashes);
                    }
                    else if (!restReused)
                    {
                        sections.Add(key, output.WrittenSpan[start..]);
                    }
                }
                else if (keeping && planned[i].WriteTracked is { } writeTracked)
                {
                    spans = writeTracked(writer, () => output.WrittenCount + writer.BytesPending - start, fragments!, kept);
                    writer.Flush();
                    sections.Add(key, output.WrittenSpan[start..]);
                }
                else
                {
                    write(writer);
                    writer.Flush();
                    sections.Add(key, output.WrittenSpan[start..]);
                }
                fragments?.Count(copied: reused[i] is not null);
                written?.Add(key, new RenderedSections.Section(
                    start, output.WrittenCount - start, reused[i]?.Sources ?? [.. sources.Select(s => s.ToArray())], reused[i]?.Entities ?? spans));
            }
            writer.WriteEndObject();
        }
        if (restReused)
        {
            sections.ReuseRest(kept!.Hashes.Rest);
        }
        var hashes = sections.Hashes();
        if (written is not null)
        {
            fragments!.Keep(holder!, new RenderedSections(output.WrittenMemory, written, restKeys, hashes));
        }
        return new RenderedConfig(output.WrittenMemory, hashes);
    }

    /// <summary>
    /// A top-level section: its key, the entities its bytes are written from, and how to write it;
    /// for a section each of whose entities is written from itself alone, also how to write it
    /// noting where each entity lies, copying runs of them from the last document when there is one.
    /// The position given is the writer's, from the start of the section.
    /// </summary>
    private sealed record PlannedSection(
        string Key, IReadOnlyList<JsonObject>[] Sources, Action<Utf8JsonWriter> Write,
        Func<Utf8JsonWriter, Func<int>, RenderedFragments, RenderedSections?, RenderedSections.EntitySpans>? WriteTracked = null);

    private static List<PlannedSection> Plan(Func<string, IReadOnlyList<JsonObject>> of, Children children)
    {
        var planned = new List<PlannedSection> { new("_format_version", [], writer => writer.WriteStringValue(FormatVersion)) };
        if (KongSchemas.All.Any(schema => schema.Transform is not null && of(schema.Name).Count > 0))
        {
            planned.Add(new(TransformKey, [], writer => writer.WriteBooleanValue(false)));
        }
        foreach (var schema in s_sections)
        {
            var items = of(schema.Name);
            if (items.Count > 0)
            {
                planned.Add(new(schema.DeclarativeKey, SourcesOf(schema, items, of), writer => WriteSection(writer, schema, InIdOrder(items), children),
                    DeclarativeNesting.WrittenIn(schema).Count > 0
                        ? null
                        : (writer, position, fragments, kept) => WriteRuns(writer, position, schema, InIdOrder(items), children, fragments, kept)));
            }
        }
        // What has no parent to be nested in is written at the top level: a credential without a
        // consumer (an mTLS one may have none).
        foreach (var nested in DeclarativeNesting.AllWritten)
        {
            var schema = nested.Schema;
            var orphans = of(schema.Name).Where(c => c[nested.ForeignKey] is null).OrderBy(EntityIndexes.IdOf, StringComparer.Ordinal).ToList();
            if (orphans.Count > 0)
            {
                planned.Add(new(schema.DeclarativeKey, [orphans], writer => WriteSection(writer, schema, orphans, children)));
            }
        }
        return planned;
    }

    /// <summary>What a section's bytes depend on: its entities, the collections nested into them, and the consumers group members name.</summary>
    private static IReadOnlyList<JsonObject>[] SourcesOf(EntitySchema schema, IReadOnlyList<JsonObject> items, Func<string, IReadOnlyList<JsonObject>> of)
    {
        var nested = DeclarativeNesting.WrittenIn(schema);
        return
        [
            items,
            .. nested.Select(n => of(n.Schema.Name)),
            .. nested.Any(NamesConsumers) ? [of(Consumers.Schema.Name)] : Array.Empty<IReadOnlyList<JsonObject>>(),
        ];
    }

    /// <summary>A consumer group's members, written as the consumers they name rather than as themselves.</summary>
    private static bool NamesConsumers(DeclarativeNesting.Nested nested) => nested.Schema == ConsumerGroups.Membership;

    /// <summary>What is nested in the entities written, each grouped by its parent when a render first needs it.</summary>
    private sealed class Children(Func<string, IReadOnlyList<JsonObject>> of, RenderedFragments? fragments)
    {
        private readonly Dictionary<string, Dictionary<string, List<JsonObject>>> _byParent = new(StringComparer.Ordinal);
        private Dictionary<string, JsonObject>? _consumers;

        /// <summary>The nested collection's entities by the id of their parent.</summary>
        public Dictionary<string, List<JsonObject>> Of(DeclarativeNesting.Nested nested) =>
            _byParent.TryGetValue(nested.Schema.Name, out var grouped)
                ? grouped
                : _byParent[nested.Schema.Name] = GroupBy(of(nested.Schema.Name), nested.ForeignKey);

        public Dictionary<string, JsonObject> ConsumersById => _consumers ??= of(Consumers.Schema.Name).ToDictionary(EntityIndexes.IdOf);

        public RenderedFragments? Fragments => fragments;
    }

    /// <summary>Entities sorted by id: as they come when their maker keeps them so, or when they are, else a sorted copy.</summary>
    private static IReadOnlyList<JsonObject> InIdOrder(IReadOnlyList<JsonObject> items)
    {
        if (items is IdOrderedEntities)
        {
            return items;
        }
        for (var i = 1; i < items.Count; i++)
        {
            if (string.CompareOrdinal(EntityIndexes.IdOf(items[i - 1]), EntityIndexes.IdOf(items[i])) > 0)
            {
                return [.. items.OrderBy(EntityIndexes.IdOf, StringComparer.Ordinal)];
            }
        }
        return items;
    }

    private static void WriteSection(Utf8JsonWriter writer, EntitySchema schema, IReadOnlyList<JsonObject> sorted, Children children)
    {
        writer.WriteStartArray();
        foreach (var entity in sorted)
        {
            if (children.Fragments is { } fragments)
            {
                writer.WriteRawValue(fragments.Of(schema.Name, entity, RenderedFrom(schema, entity, children), () => Render(schema, entity, children)), skipInputValidation: true);
            }
            else
            {
                WriteEntity(writer, schema, entity, children);
            }
        }
        writer.WriteEndArray();
    }

    /// <summary>
    /// A section whose entities are each written from themselves alone: where the last document's
    /// section holds the same objects in a row, they are copied as one span (after one route changes
    /// among 40,000, two copies and one render), the rest written one by one; each entity's place noted.
    /// </summary>
    private static RenderedSections.EntitySpans WriteRuns(
        Utf8JsonWriter writer, Func<int> position, EntitySchema schema, IReadOnlyList<JsonObject> sorted, Children children,
        RenderedFragments fragments, RenderedSections? kept)
    {
        var (starts, ends) = (new int[sorted.Count], new int[sorted.Count]);
        var last = kept?.Last(schema.DeclarativeKey);
        var old = last?.Entities?.Written;
        writer.WriteStartArray();
        var i = 0;
        for (var j = 0; j < sorted.Count;)
        {
            if (old is not null && i < old.Count && ReferenceEquals(old[i], sorted[j]))
            {
                var (oldFirst, first) = (i, j);
                while (i < old.Count && j < sorted.Count && ReferenceEquals(old[i], sorted[j]))
                {
                    (i, j) = (i + 1, j + 1);
                }
                writer.WriteRawValue(kept!.Bytes(last!, oldFirst, i - 1), skipInputValidation: true);
                var shift = position() - last!.Entities!.Ends[i - 1];
                for (var k = first; k < j; k++)
                {
                    starts[k] = last.Entities.Starts[oldFirst + k - first] + shift;
                    ends[k] = last.Entities.Ends[oldFirst + k - first] + shift;
                }
                fragments.CountCopied(j - first);
                continue;
            }
            if (old is not null)
            {
                // Both are in id order: step past what is gone, then past this entity's old version.
                var id = EntityIndexes.IdOf(sorted[j]);
                while (i < old.Count && string.CompareOrdinal(EntityIndexes.IdOf(old[i]), id) < 0)
                {
                    i++;
                }
                if (i < old.Count && ReferenceEquals(old[i], sorted[j]))
                {
                    continue;
                }
                if (i < old.Count && EntityIndexes.IdOf(old[i]) == id)
                {
                    i++;
                }
            }
            var bytes = fragments.Of(schema.Name, sorted[j], [], () => Render(schema, sorted[j], children));
            writer.WriteRawValue(bytes, skipInputValidation: true);
            ends[j] = position();
            starts[j] = ends[j] - bytes.Length;
            j++;
        }
        writer.WriteEndArray();
        // A copy: what the spans say was written must not change with a list its maker may reuse.
        return new RenderedSections.EntitySpans([.. sorted], starts, ends);
    }

    private static void WriteEntity(Utf8JsonWriter writer, EntitySchema schema, JsonObject entity, Children children)
    {
        writer.WriteStartObject();
        WriteFields(writer, schema, entity, except: null);
        WriteNested(writer, schema, EntityIndexes.IdOf(entity), children);
        writer.WriteEndObject();
    }

    private static byte[] Render(EntitySchema schema, JsonObject entity, Children children)
    {
        var output = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(output, s_options))
        {
            WriteEntity(writer, schema, entity, children);
        }
        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Besides the entity itself, what its bytes are rendered from: the children nested in it, and
    /// for a consumer group the consumers its members are named by.
    /// </summary>
    private static JsonObject?[] RenderedFrom(EntitySchema schema, JsonObject entity, Children children)
    {
        List<JsonObject?>? from = null;
        foreach (var nested in DeclarativeNesting.WrittenIn(schema))
        {
            if (children.Of(nested).TryGetValue(EntityIndexes.IdOf(entity), out var held))
            {
                (from ??= []).AddRange(held);
                if (NamesConsumers(nested))
                {
                    from.AddRange(held.Select(member => ConsumerIdOf(member) is { } consumer ? children.ConsumersById.GetValueOrDefault(consumer) : null));
                }
            }
        }
        return from is null ? [] : [.. from];
    }

    private static string? ConsumerIdOf(JsonObject member) => member["consumer"]?["id"]?.GetValue<string>();

    private static void WriteNested(Utf8JsonWriter writer, EntitySchema schema, string id, Children children)
    {
        foreach (var nested in DeclarativeNesting.WrittenIn(schema))
        {
            if (!children.Of(nested).TryGetValue(id, out var items))
            {
                continue;
            }
            if (NamesConsumers(nested))
            {
                WriteMembers(writer, nested.Key, items, children.ConsumersById);
            }
            else
            {
                WriteChildren(writer, nested.Key, nested.Schema, items, nested.ForeignKey);
            }
        }
    }

    /// <summary>A group's members as decK names them: each consumer by username when it has one, else by id.</summary>
    private static void WriteMembers(Utf8JsonWriter writer, string key, List<JsonObject> members, Dictionary<string, JsonObject> consumers)
    {
        writer.WritePropertyName(key);
        writer.WriteStartArray();
        foreach (var consumerId in members.Select(ConsumerIdOf).OfType<string>().Order(StringComparer.Ordinal))
        {
            if (consumers.TryGetValue(consumerId, out var consumer))
            {
                writer.WriteStartObject();
                if (EntityChecks.Text(consumer["username"]) is { } username)
                {
                    writer.WriteString("username", username);
                }
                else
                {
                    writer.WriteString("id", consumerId);
                }
                writer.WriteEndObject();
            }
        }
        writer.WriteEndArray();
    }

    private static void WriteChildren(Utf8JsonWriter writer, string key, EntitySchema schema, List<JsonObject> items, string except)
    {
        writer.WritePropertyName(key);
        writer.WriteStartArray();
        foreach (var child in items.OrderBy(EntityIndexes.IdOf, StringComparer.Ordinal))
        {
            writer.WriteStartObject();
            WriteFields(writer, schema, child, except);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    private static void WriteFields(Utf8JsonWriter writer, EntitySchema schema, JsonObject entity, string? except)
    {
        schema = schema.For(entity);
        var idStrings = s_idStringReferences.GetValueOrDefault(schema.Name);
        foreach (var field in schema.Fields)
        {
            if (field.Name is "created_at" or "updated_at" || field.Name == except || entity[field.Name] is not { } value)
            {
                continue;
            }
            writer.WritePropertyName(field.Name);
            if (field.Type == FieldType.Foreign && idStrings?.Contains(field.Name) == true)
            {
                value["id"]!.WriteTo(writer);
            }
            else
            {
                value.WriteTo(writer);
            }
        }
    }

    private static Dictionary<string, List<JsonObject>> GroupBy(IReadOnlyList<JsonObject> items, string field)
    {
        var groups = new Dictionary<string, List<JsonObject>>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (item[field]?["id"]?.GetValue<string>() is { } parent)
            {
                (groups.TryGetValue(parent, out var list) ? list : groups[parent] = []).Add(item);
            }
        }
        return groups;
    }
}
