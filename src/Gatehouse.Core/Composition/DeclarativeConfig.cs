using System.Text.Json.Nodes;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;

namespace Gatehouse.Core.Composition;

/// <summary>
/// Renders a control plane's entities as Kong declarative configuration (<c>_format_version: "3.0"</c>),
/// the document a DB-less Kong loads through <c>POST /config</c> and decK keeps in git.
/// Deterministic: the same entities give byte-identical output, whatever order they come in.
/// <list type="bullet">
/// <item>collections in a fixed order, entities sorted by id, fields in Kong's schema order;</item>
/// <item>unset (null) fields and timestamps left out, so that only content changes the bytes;</item>
/// <item>targets nested in their upstream, SNIs in their certificate, consumer group members in their group —
/// decK's form, which has no top-level targets or SNIs;</item>
/// <item>references as decK writes them: a route's service and a key's set as <c>{"id"}</c>, a plugin's
/// scopes and a service's client certificate as the id string.</item>
/// </list>
/// </summary>
public static class DeclarativeConfig
{
    public const string FormatVersion = "3.0";

    /// <summary>Top-level keys in the order they are written; <c>key_sets</c> is <c>/key-sets</c> on the Admin API.</summary>
    private static readonly (string Key, string Collection)[] s_sections =
    [
        ("services", "services"),
        ("routes", "routes"),
        ("consumers", "consumers"),
        ("consumer_groups", "consumer_groups"),
        ("plugins", "plugins"),
        ("upstreams", "upstreams"),
        ("certificates", "certificates"),
        ("ca_certificates", "ca_certificates"),
        ("vaults", "vaults"),
        ("key_sets", "key-sets"),
        ("keys", "keys"),
    ];

    private static readonly HashSet<string> s_idStringReferences = ["plugins.service", "plugins.route", "plugins.consumer", "plugins.consumer_group", "services.client_certificate"];

    public static JsonObject Render(IReadOnlyDictionary<string, IReadOnlyList<JsonObject>> entities)
    {
        IReadOnlyList<JsonObject> Of(string collection) => entities.GetValueOrDefault(collection) ?? [];

        var targets = Of("targets").GroupBy(t => ReferenceId(t, "upstream")).ToDictionary(g => g.Key ?? "", g => g.ToList());
        var snis = Of("snis").GroupBy(s => ReferenceId(s, "certificate")).ToDictionary(g => g.Key ?? "", g => g.ToList());
        var members = Of("consumer_group_consumers").GroupBy(m => ReferenceId(m, "consumer_group")).ToDictionary(g => g.Key ?? "", g => g.ToList());
        var consumersById = Of("consumers").ToDictionary(EntityIndexes.IdOf);

        var config = new JsonObject { ["_format_version"] = FormatVersion };
        foreach (var (key, collection) in s_sections)
        {
            var schema = KongSchemas.Find(collection)!;
            var rendered = new JsonArray();
            foreach (var entity in Of(collection).OrderBy(EntityIndexes.IdOf, StringComparer.Ordinal))
            {
                var item = Entity(schema, entity);
                var id = EntityIndexes.IdOf(entity);
                switch (collection)
                {
                    case "upstreams" when targets.TryGetValue(id, out var nested):
                        item["targets"] = Nested(Targets.Schema, nested, except: "upstream");
                        break;
                    case "certificates" when snis.TryGetValue(id, out var names):
                        item["snis"] = Nested(Snis.Schema, names, except: "certificate");
                        break;
                    case "consumer_groups" when members.TryGetValue(id, out var memberships):
                        item["consumers"] = new JsonArray([.. memberships
                            .Select(m => ReferenceId(m, "consumer"))
                            .Where(c => c is not null && consumersById.ContainsKey(c))
                            .Order(StringComparer.Ordinal)
                            .Select(c => (JsonNode)MemberReference(consumersById[c!]))]);
                        break;
                }
                rendered.Add(item);
            }
            if (rendered.Count > 0)
            {
                config[key] = rendered;
            }
        }
        return config;
    }

    private static JsonArray Nested(EntitySchema schema, IEnumerable<JsonObject> children, string except) =>
        new([.. children.OrderBy(EntityIndexes.IdOf, StringComparer.Ordinal).Select(child =>
        {
            var item = Entity(schema, child);
            item.Remove(except);
            return (JsonNode)item;
        })]);

    private static JsonObject Entity(EntitySchema schema, JsonObject entity)
    {
        var item = new JsonObject();
        foreach (var field in schema.Fields)
        {
            if (field.Name is "created_at" or "updated_at" || entity[field.Name] is not { } value)
            {
                continue;
            }
            item[field.Name] = field.Type == FieldType.Foreign && s_idStringReferences.Contains($"{schema.Name}.{field.Name}")
                ? value["id"]!.DeepClone()
                : value.DeepClone();
        }
        return item;
    }

    /// <summary>A group member as decK names one: by username when it has one, else by id.</summary>
    private static JsonObject MemberReference(JsonObject consumer) =>
        consumer["username"] is { } username ? new JsonObject { ["username"] = username.DeepClone() } : new JsonObject { ["id"] = EntityIndexes.IdOf(consumer) };

    private static string? ReferenceId(JsonObject entity, string field) => entity[field]?["id"]?.GetValue<string>();
}
