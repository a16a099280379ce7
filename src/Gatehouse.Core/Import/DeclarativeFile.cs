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

/// <summary>A parsed declarative file: every entity in it, flat, and what its <c>_info</c> says.</summary>
public sealed record DeclarativeFile(IReadOnlyList<FileEntity> Entities, DeclarativeInfo Info)
{
    /// <summary>The tags that select what the file manages (<c>_info.select_tags</c>).</summary>
    public IReadOnlyList<string> SelectTags => Info.SelectTags;

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

    /// <summary>decK's key for a plugin's shared config (<c>_plugin_configs</c>), and for the plugin's pointer to one.</summary>
    public const string PluginConfigsKey = "_plugin_configs";

    private const string ConfigSourceKey = "_config";

    /// <summary>Reads the document, or throws <see cref="ImportRejectedException"/> listing every structural problem.</summary>
    public static DeclarativeFile Parse(JsonObject document)
    {
        var errors = new List<ImportError>();
        void Fail(string path, string message) => errors.Add(new ImportError(null, path, null, null, [new FieldError(null, message)]));

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
        var info = DeclarativeInfo.Read(document["_info"], Fail);
        var reader = new Reader(info, ReadPluginConfigs(document[PluginConfigsKey], Fail), Fail);

        foreach (var (key, value) in document)
        {
            if (key is "_format_version" or "_transform" or "_comment" or "_info" or "_konnect" or PluginConfigsKey)
            {
                continue;
            }
            if (s_sections.TryGetValue(key, out var schema))
            {
                reader.ReadList(value, key, schema, parent: null, parentField: null);
            }
            else if (UnsupportedSections.Why(key) is { } why)
            {
                Fail(key, $"not supported by Gatehouse: {why}; remove this section");
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
        return new DeclarativeFile(reader.Entities, info) { Transform = transform && !info.SkipHashForBasicAuth };
    }

    /// <summary>decK's <c>_plugin_configs</c>: named plugin configs that plugins take through <c>_config</c>.</summary>
    private static Dictionary<string, JsonObject> ReadPluginConfigs(JsonNode? value, Action<string, string> fail)
    {
        var configs = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        if (value is null)
        {
            return configs;
        }
        if (value is not JsonObject named)
        {
            fail(PluginConfigsKey, "expected an object of plugin configs by name");
            return configs;
        }
        foreach (var (name, config) in named)
        {
            if (config is JsonObject fields)
            {
                configs[name] = fields;
            }
            else
            {
                fail($"{PluginConfigsKey}.{name}", "expected an object");
            }
        }
        return configs;
    }

    private sealed class Reader(DeclarativeInfo info, Dictionary<string, JsonObject> pluginConfigs, Action<string, string> fail)
    {
        public List<FileEntity> Entities { get; } = [];

        public void ReadList(JsonNode? value, string path, EntitySchema schema, FileEntity? parent, string? parentField)
        {
            if (value is null)
            {
                return;
            }
            if (value is not JsonArray items)
            {
                fail(path, "expected an array");
                return;
            }
            for (var i = 0; i < items.Count; i++)
            {
                var itemPath = $"{path}[{i}]";
                var body = Item(items[i], schema, parentField);
                if (body is null)
                {
                    fail(itemPath, "expected an object");
                    continue;
                }
                var entity = new FileEntity(schema, itemPath, body, parent, parentField);
                Entities.Add(entity);
                foreach (var (key, child, foreignKey, _) in DeclarativeNesting.In(schema))
                {
                    if (body[key] is { } nested)
                    {
                        body.Remove(key);
                        ReadList(nested, $"{itemPath}.{key}", child, entity, foreignKey);
                    }
                }
                if (schema == Consumers.Schema && body.ContainsKey("oauth2_credentials"))
                {
                    fail($"{itemPath}.oauth2_credentials", "not supported by Gatehouse yet: Konnect has no endpoints for oauth2 credentials; remove them");
                    body.Remove("oauth2_credentials");
                }
                if (schema == Plugins.Schema)
                {
                    TakeSharedConfig(body, itemPath);
                }
                if (info.Defaults.GetValueOrDefault(schema.Name) is { } defaults)
                {
                    DeclarativeInfo.FillMissing(body, defaults);
                }
            }
        }

        /// <summary>
        /// A plugin's <c>_config</c>: the named shared config, under whatever config the plugin gives
        /// itself, which wins field by field (go-database-reconciler pkg/file/builder.go, fillPluginConfig).
        /// </summary>
        private void TakeSharedConfig(JsonObject plugin, string path)
        {
            if (!plugin.ContainsKey(ConfigSourceKey))
            {
                return;
            }
            var source = EntityChecks.Text(plugin[ConfigSourceKey]);
            plugin.Remove(ConfigSourceKey);
            if (source is null)
            {
                fail($"{path}.{ConfigSourceKey}", $"expected the name of one of {PluginConfigsKey}");
                return;
            }
            if (!pluginConfigs.TryGetValue(source, out var shared))
            {
                fail($"{path}.{ConfigSourceKey}", $"{PluginConfigsKey} has no config named '{source}'");
                return;
            }
            switch (plugin["config"])
            {
                case null:
                    plugin["config"] = shared.DeepClone();
                    break;
                case JsonObject own:
                    DeclarativeInfo.FillMissing(own, shared);
                    break;
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
