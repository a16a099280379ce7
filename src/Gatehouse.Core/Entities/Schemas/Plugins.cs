using System.Text.Json.Nodes;
using Gatehouse.Core.Entities.Schemas.PluginConfigs;
using static Gatehouse.Core.Entities.EntityChecks;
using static Gatehouse.Core.Entities.Typedefs;

namespace Gatehouse.Core.Entities.Schemas;

/// <summary>
/// Kong's plugins (kong/db/schema/entities/plugins.lua). A plugin is validated against its
/// name's schema in <see cref="PluginSchemas"/>, defaults filled; a name without one is refused
/// on <c>name</c> with Kong's message (<see cref="PluginSchemas.Refusal"/>).
/// </summary>
public static class Plugins
{
    public static EntitySchema Schema { get; } = new("plugins",
    [
        Id, CreatedAt, UpdatedAt,
        new Field("name", FieldType.String) { Required = true },
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
        Undetermined = NameWithoutSchema,
        Variant = ByName,
    };

    private static EntitySchema? s_unspecialized;

    /// <summary>The plugins entity before a name picks its subschema (the selector removed, so choosing it does not recurse).</summary>
    private static EntitySchema Unspecialized => s_unspecialized ??= Schema with { Variant = null, Undetermined = null };

    /// <summary>The plugin's name as given: the body's, or on PATCH without one, the stored one.</summary>
    private static JsonNode? NameNodeOf(JsonObject input, JsonObject? existing) =>
        input.TryGetPropertyValue("name", out var given) ? given : existing?["name"];

    /// <summary>The name a write gives the plugin, when it is a string.</summary>
    public static string? NameOf(JsonObject input, JsonObject? existing) => Text(NameNodeOf(input, existing));

    /// <summary>
    /// Kong answers a plugin without a name, or with a name it has no schema for, with that one
    /// error and validates nothing else (kong/db/schema/init.lua:2111-2122 at 3.9.3). A name that
    /// is not a string falls through to the field's own type error.
    /// </summary>
    private static FieldError? NameWithoutSchema(JsonObject input, JsonObject? existing) => NameNodeOf(input, existing) switch
    {
        null => new FieldError("name", "required field missing"),
        var name when Text(name) is { } text && PluginSchemas.Refusal(text) is { } refusal => new FieldError("name", refusal),
        _ => null,
    };

    /// <summary>
    /// Kong picks a plugin's subschema by its name. A stored plugin whose name has none (stored
    /// before names were checked) is read and exported by the unspecialized entity.
    /// </summary>
    private static EntitySchema ByName(JsonObject input, JsonObject? existing) =>
        NameOf(input, existing) is { } name ? PluginSchemas.EntitySchemaFor(Unspecialized, name) ?? Unspecialized : Unspecialized;

    /// <summary>
    /// The schema a plugin write follows, with <paramref name="custom"/> finding the control plane's
    /// custom plugin schemas by name. A name with no schema, bundled or custom, gets the plugins
    /// entity itself, which refuses it by that name alone, as Kong does.
    /// </summary>
    public static EntitySchema For(JsonObject input, JsonObject? existing, Func<string, PluginSchema?>? custom) =>
        NameOf(input, existing) is { } name && PluginSchemas.EntitySchemaFor(Unspecialized, name, custom) is { } specialized
            ? specialized
            : Schema;

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
}
