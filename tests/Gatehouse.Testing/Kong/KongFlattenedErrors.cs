using System.Text.Json.Nodes;

namespace Gatehouse.Testing.Kong;

/// <summary>
/// Kong's <c>flatten_errors</c> (kong/db/errors.lua): one entry per invalid entity,
/// <c>{entity_type, entity_name?, entity_id?, entity_tags?, entity, errors:[{type, field?, message}]}</c>,
/// with nested entities (a service's routes, a route's plugins …) hoisted to entries of their own.
/// Sections it flattens are drained from the error tree; what is left (top-level fields) stays in
/// <c>fields</c>, as in Kong.
/// </summary>
internal static class KongFlattenedErrors
{
    /// <summary>Collections Kong nests under a parent through a foreign key (decK's nesting).</summary>
    private static readonly HashSet<string> s_nestedCollections = new(StringComparer.Ordinal)
    {
        "routes", "plugins", "targets", "snis", "keys", "filter_chains", "acls", "basicauth_credentials",
        "hmacauth_credentials", "jwt_secrets", "keyauth_credentials", "mtls_auth_credentials", "oauth2_credentials",
    };

    public static JsonArray Flatten(JsonObject input, KongErrorTree errors)
    {
        var flattened = new JsonArray();
        foreach (var key in errors.Keys)
        {
            if (key is not string section || errors.Get(section) is not KongErrorTree sectionErrors || input[section] is not JsonArray entities)
            {
                continue;
            }
            errors.Remove(section);
            foreach (var index in sectionErrors.Keys)
            {
                if (index is int i && i <= entities.Count && entities[i - 1] is JsonObject entity)
                {
                    AddEntityErrors(section, entity.DeepClone().AsObject(), sectionErrors.Get(i)!, flattened);
                }
            }
        }
        return flattened;
    }

    private static void AddEntityErrors(string entityType, JsonObject entity, object entityErrors, JsonArray flattened)
    {
        var errors = entityErrors as KongErrorTree;
        if (entityErrors is string message)
        {
            errors = new KongErrorTree();
            errors.Add([KongErrorTree.EntityKey], message);
        }
        if (errors is null)
        {
            return;
        }

        foreach (var (field, value) in entity.ToList())
        {
            if (!s_nestedCollections.Contains(field) || value is not JsonArray children)
            {
                continue;
            }
            entity.Remove(field);
            var childErrors = errors.Get(field) as KongErrorTree;
            errors.Remove(field);
            if (childErrors is null)
            {
                continue;
            }
            var foreignKey = entityType == "key_sets" ? "set" : Singular(entityType);
            for (var i = 0; i < children.Count; i++)
            {
                if (children[i] is not JsonObject child || childErrors.Get(i + 1) is not { } errorsOfChild)
                {
                    continue;
                }
                var item = child.DeepClone().AsObject();
                if (!item.ContainsKey(foreignKey) && PrimaryKeyOf(entity) is { } primaryKey)
                {
                    item[foreignKey] = primaryKey;
                }
                AddEntityErrors(field, item, errorsOfChild, flattened);
            }
        }

        if (errors.IsEmpty)
        {
            return;
        }
        var categorized = new JsonArray();
        Categorize(errors, null, categorized);
        var entry = new JsonObject();
        if (entity["name"] is JsonValue name && name.TryGetValue<string>(out var entityName) && entityName.Length > 0)
        {
            entry["entity_name"] = entityName;
        }
        if (ValidId(entity) is { } id)
        {
            entry["entity_id"] = id;
        }
        if (entity["tags"] is JsonArray tags && tags.All(tag => tag is JsonValue value && value.TryGetValue<string>(out _)))
        {
            entry["entity_tags"] = tags.DeepClone();
        }
        entry["entity_type"] = Singular(entityType);
        entry["entity"] = entity;
        entry["errors"] = categorized;
        flattened.Add(entry);
    }

    private static void Categorize(KongErrorTree errors, string? ns, JsonArray into)
    {
        foreach (var key in errors.Keys)
        {
            var name = key is int index ? index.ToString(System.Globalization.CultureInfo.InvariantCulture) : (string)key;
            var field = string.IsNullOrEmpty(ns) ? name : ns + "." + name;
            switch (errors.Get(key))
            {
                case List<string> messages when name == KongErrorTree.EntityKey:
                    foreach (var message in messages)
                    {
                        into.Add(new JsonObject { ["type"] = "entity", ["message"] = message });
                    }
                    break;
                case string message:
                    into.Add(new JsonObject { ["type"] = "field", ["field"] = field, ["message"] = message });
                    break;
                case KongErrorTree nested:
                    Categorize(nested, field, into);
                    break;
            }
        }
    }

    private static JsonObject? PrimaryKeyOf(JsonObject entity) =>
        ValidId(entity) is { } id ? new JsonObject { ["id"] = id } : null;

    private static string? ValidId(JsonObject entity) =>
        entity["id"] is JsonValue value && value.TryGetValue<string>(out var id) && Guid.TryParseExact(id, "D", out _) ? id : null;

    private static string Singular(string noun) => noun.EndsWith('s') ? noun[..^1] : noun;
}
