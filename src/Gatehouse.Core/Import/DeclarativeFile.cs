using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Composition;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;

namespace Gatehouse.Core.Import;

/// <summary>
/// One entity as a declarative file gives it: where it is (<c>services[0].routes[1]</c>), what it
/// is, its own fields with nesting taken out, and the entity it is nested in, which its foreign
/// key then points at.
/// </summary>
public sealed record FileEntity(EntitySchema Schema, string Path, JsonObject Body, FileEntity? Parent = null, string? ParentField = null);

/// <summary>A parsed declarative file: every entity in it, flat, and the tags that select what it manages.</summary>
public sealed record DeclarativeFile(IReadOnlyList<FileEntity> Entities, IReadOnlyList<string> SelectTags)
{
    /// <summary>
    /// Whether its values are still to be transformed (basic-auth passwords hashed): Kong's
    /// <c>_transform</c>, true unless the file says false (kong/db/declarative/import.lua:426), as
    /// Gatehouse's and Kong's exports do; decK's <c>_info.skip_hash_for_basic_auth: true</c> says
    /// the same (go-database-reconciler pkg/file/types.go, Info).
    /// </summary>
    public bool Transform { get; init; } = true;

    /// <summary>Top-level sections, in the form decK and Kong write them: every collection of the Admin API.</summary>
    private static readonly Dictionary<string, EntitySchema> s_sections =
        KongSchemas.All.Where(s => !s.Internal).ToDictionary(s => s.DeclarativeKey, StringComparer.Ordinal);

    /// <summary>What may nest in what: (key in the parent, collection, the child's foreign key to the parent).</summary>
    private static readonly Dictionary<string, (string Key, string Collection, string ForeignKey)[]> s_nesting = new(StringComparer.Ordinal)
    {
        ["services"] = [("routes", "routes", "service"), ("plugins", "plugins", "service")],
        ["routes"] = [("plugins", "plugins", "route")],
        ["consumers"] =
        [
            ("plugins", "plugins", "consumer"), ("groups", "consumer_group_consumers", "consumer"),
            .. ConsumerCredentials.All.Select(credential => (credential.DeclarativeKey, credential.Name, "consumer")),
        ],
        ["consumer_groups"] = [("plugins", "plugins", "consumer_group"), ("consumers", "consumer_group_consumers", "consumer_group")],
        ["upstreams"] = [("targets", "targets", "upstream")],
        ["certificates"] = [("snis", "snis", "certificate")],
        ["key-sets"] = [("keys", "keys", "set")],
    };

    /// <summary>Consumer credentials decK files may carry, which Gatehouse does not store (yet): oauth2's, which Konnect has no endpoints for.</summary>
    private static readonly HashSet<string> s_credentials = new(StringComparer.Ordinal) { "oauth2_credentials" };

    /// <summary>decK and Kong file sections Gatehouse has no entities for.</summary>
    private static readonly HashSet<string> s_unsupported = new(StringComparer.Ordinal)
    {
        "_plugin_configs", "_workspace", "custom_entities", "custom_plugins", "filter_chains", "licenses", "partials", "rbac_roles",
        "service_packages", "cloned_plugins", "workspaces", "parameters",
    };

    /// <summary>Reads the document, or throws <see cref="ImportRejectedException"/> listing every structural problem.</summary>
    public static DeclarativeFile Parse(JsonObject document)
    {
        var errors = new List<ImportError>();
        var entities = new List<FileEntity>();
        void Fail(string path, string message, string? field = null) =>
            errors.Add(new ImportError(null, path, null, null, [new FieldError(field, message)]));

        switch (document["_format_version"])
        {
            case null:
                Fail("_format_version", "required field missing");
                break;
            case var version when EntityChecks.Text(version) != DeclarativeConfig.FormatVersion:
                Fail("_format_version", $"expected \"{DeclarativeConfig.FormatVersion}\" (convert older files with `deck file convert`)");
                break;
        }
        var transform = true;
        switch (document[DeclarativeConfig.TransformKey])
        {
            case null:
                break;
            case var given when given.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                transform = given.GetValue<bool>();
                break;
            default:
                Fail(DeclarativeConfig.TransformKey, "expected a boolean");
                break;
        }
        var (selectTags, skipHash) = ReadInfo(document["_info"], Fail);

        foreach (var (key, value) in document)
        {
            if (key is "_format_version" or "_transform" or "_comment" or "_info" or "_konnect")
            {
                continue;
            }
            if (s_sections.TryGetValue(key, out var schema))
            {
                ReadList(value, key, schema, parent: null, parentField: null, entities, Fail);
            }
            else if (s_unsupported.Contains(key))
            {
                Fail(key, "not supported by Gatehouse: remove this section");
            }
            else
            {
                Fail(key, "unknown field");
            }
        }
        if (errors.Count > 0)
        {
            throw new ImportRejectedException(errors);
        }
        return new DeclarativeFile(entities, selectTags) { Transform = transform && !skipHash };
    }

    private static (List<string> SelectTags, bool SkipHash) ReadInfo(JsonNode? info, Action<string, string, string?> fail)
    {
        var tags = new List<string>();
        var skipHash = false;
        if (info is null)
        {
            return (tags, skipHash);
        }
        if (info is not JsonObject fields)
        {
            fail("_info", "expected an object", null);
            return (tags, skipHash);
        }
        foreach (var (key, value) in fields)
        {
            if (key == "skip_hash_for_basic_auth")
            {
                if (value?.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
                {
                    skipHash = value.GetValue<bool>();
                }
                else
                {
                    fail("_info.skip_hash_for_basic_auth", "expected a boolean", null);
                }
                continue;
            }
            if (key != "select_tags")
            {
                fail($"_info.{key}", key is "default_lookup_tags" or "defaults" ? "not supported by Gatehouse" : "unknown field", null);
                continue;
            }
            if (value is not JsonArray array || array.Any(t => EntityChecks.Text(t) is not { Length: > 0 }))
            {
                fail("_info.select_tags", "expected an array of non-empty strings", null);
                continue;
            }
            tags.AddRange(array.Select(t => t!.GetValue<string>()).Distinct(StringComparer.Ordinal));
        }
        return (tags, skipHash);
    }

    private static void ReadList(
        JsonNode? value, string path, EntitySchema schema, FileEntity? parent, string? parentField, List<FileEntity> entities,
        Action<string, string, string?> fail)
    {
        if (value is null)
        {
            return;
        }
        if (value is not JsonArray items)
        {
            fail(path, "expected an array", null);
            return;
        }
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            var body = Item(items[i], schema, parentField);
            if (body is null)
            {
                fail(itemPath, "expected an object", null);
                continue;
            }
            var entity = new FileEntity(schema, itemPath, body, parent, parentField);
            entities.Add(entity);
            foreach (var (key, collection, foreignKey) in s_nesting.GetValueOrDefault(schema.Name) ?? [])
            {
                if (body[key] is { } nested)
                {
                    body.Remove(key);
                    ReadList(nested, $"{itemPath}.{key}", KongSchemas.Find(collection)!, entity, foreignKey, entities, fail);
                }
            }
            if (schema == Consumers.Schema)
            {
                foreach (var credential in body.Select(p => p.Key).Where(s_credentials.Contains).ToList())
                {
                    fail($"{itemPath}.{credential}", "oauth2 credentials are not supported by Gatehouse yet: remove them", null);
                    body.Remove(credential);
                }
            }
        }
    }

    /// <summary>
    /// The item's fields. A membership nests as a reference to its other side (a consumer's
    /// <c>groups: [{name}]</c>, a group's <c>consumers: [{username}]</c>), and an SNI may be just its name.
    /// </summary>
    private static JsonObject? Item(JsonNode? item, EntitySchema schema, string? parentField)
    {
        if (schema == ConsumerGroups.Membership)
        {
            var otherSide = parentField == "consumer" ? "consumer_group" : "consumer";
            return item is JsonObject or JsonValue ? new JsonObject { [otherSide] = item.DeepClone() } : null;
        }
        if (schema == Snis.Schema && EntityChecks.Text(item) is { } name)
        {
            return new JsonObject { ["name"] = name };
        }
        return item is JsonObject fields ? (JsonObject)fields.DeepClone() : null;
    }
}
