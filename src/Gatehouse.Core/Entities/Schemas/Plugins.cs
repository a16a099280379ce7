using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gatehouse.Core.Entities.Schemas.PluginConfigs;
using static Gatehouse.Core.Entities.EntityChecks;
using static Gatehouse.Core.Entities.Typedefs;
using static Gatehouse.Core.Entities.Validators;

namespace Gatehouse.Core.Entities.Schemas;

/// <summary>
/// Kong's plugins (kong/db/schema/entities/plugins.lua). A plugin whose name has a schema in
/// <see cref="PluginSchemas"/> is validated against it, defaults filled; any other plugin's
/// config must be a JSON object and is kept as given (see <see cref="PluginSchemas.RefuseUnknownNames"/>).
/// </summary>
public static partial class Plugins
{
    public static EntitySchema Schema { get; } = new("plugins",
    [
        Id, CreatedAt, UpdatedAt,
        new Field("name", FieldType.String) { Required = true }.With(Match(PluginName(), v =>
            $"invalid plugin name '{v}': expected lower-case letters, digits, '-' and '_'")),
        Utf8Name("instance_name"),
        Foreign("route", "routes", OnDelete.Cascade),
        Foreign("service", "services", OnDelete.Cascade),
        Foreign("consumer", "consumers", OnDelete.Cascade),
        Foreign("consumer_group", "consumer_groups", OnDelete.Cascade),
        new Field("config", FieldType.Record) { FreeForm = true, Default = new JsonObject() },
        PluginFields.AnyProtocols,
        Boolean("enabled", true, required: true),
        Tags,
        new Field("ordering", FieldType.Record) { FreeForm = true, Optional = true },
    ])
    {
        Singular = "plugin",
        EndpointKey = "instance_name",
        CacheKey = ["name", "route", "service", "consumer", "consumer_group"],
        Checks = [MutuallyExclusive("consumer", "consumer_group")],
        ReferenceChecks = ProtocolsMeetTheRoute,
        Variant = ByName,
    };

    private static EntitySchema? s_unspecialized;

    /// <summary>The schema of a plugin without its own config schema (and the selector removed, so choosing it does not recurse).</summary>
    private static EntitySchema Unspecialized => s_unspecialized ??= Schema with { Variant = null };

    /// <summary>Kong picks a plugin's subschema by its name; on PATCH without a name, by the stored one.</summary>
    private static EntitySchema ByName(JsonObject input, JsonObject? existing) => For(input, existing, custom: null);

    /// <summary>The name a write gives the plugin: the body's, or on PATCH without one, the stored one.</summary>
    public static string? NameOf(JsonObject input, JsonObject? existing) =>
        Text(input.TryGetPropertyValue("name", out var given) ? given : existing?["name"]);

    /// <summary>
    /// The schema a plugin write follows, with <paramref name="custom"/> finding the control plane's
    /// custom plugin schemas by name; the returned schema picks no further variant.
    /// </summary>
    public static EntitySchema For(JsonObject input, JsonObject? existing, Func<string, PluginSchema?>? custom)
    {
        if (NameOf(input, existing) is not { } name)
        {
            return Unspecialized;
        }
        if (PluginSchemas.Refusal(name, custom: custom) is { } refusal)
        {
            return Unspecialized with
            {
                Fields = [.. Unspecialized.Fields.Select(f => f.Name == "name" ? f.With(_ => refusal) : f)],
            };
        }
        return PluginSchemas.EntitySchemaFor(Unspecialized, name, custom) ?? Unspecialized;
    }

    /// <summary>A plugin on a route must run on at least one of the route's protocols (kong/db/dao/plugins.lua).</summary>
    private static IEnumerable<FieldError> ProtocolsMeetTheRoute(JsonObject plugin, IReadOnlyDictionary<string, JsonObject> parents)
    {
        if (parents.TryGetValue("route", out var route)
            && !Strings(plugin["protocols"]).Intersect(Strings(route["protocols"])).Any())
        {
            yield return new FieldError("protocols", "must match the associated route's protocols");
        }
    }

    /// <summary>
    /// A plugin on a service (and no route) must run on a protocol of at least one route pointing
    /// at the service; a service without routes takes any (kong/db/dao/plugins.lua). Kong checks
    /// this when the plugin is written, not when routes change later.
    /// </summary>
    public static IEnumerable<FieldError> ProtocolsMeetTheServiceRoutes(JsonObject plugin, IReadOnlyCollection<JsonObject> serviceRoutes)
    {
        if (plugin["route"] is null && plugin["service"] is not null && serviceRoutes.Count > 0
            && !serviceRoutes.Any(route => Strings(plugin["protocols"]).Intersect(Strings(route["protocols"])).Any()))
        {
            yield return new FieldError("protocols", "must match the protocols of at least one route pointing to this Plugin's service");
        }
    }

    [GeneratedRegex(@"^[a-z0-9][a-z0-9_-]*\z")]
    private static partial Regex PluginName();
}
