namespace Gatehouse.Core.Entities.Schemas;

/// <summary>Every core entity Gatehouse stores, by the collection name the Admin API uses.</summary>
public static class KongSchemas
{
    public static IReadOnlyList<EntitySchema> All { get; } =
    [
        Services.Schema,
        Routes.Schema,
        Consumers.Schema,
        ConsumerGroups.Schema,
        ConsumerGroups.Membership,
        Plugins.Schema,
        Upstreams.Schema,
        Targets.Schema,
        Certificates.Schema,
        Snis.Schema,
        CaCertificates.Schema,
        Vaults.Schema,
        KeySets.Schema,
        Keys.Schema,
    ];

    private static readonly Dictionary<string, EntitySchema> s_byName = All.ToDictionary(s => s.Name, StringComparer.Ordinal);

    public static EntitySchema? Find(string collection) => s_byName.GetValueOrDefault(collection);

    /// <summary>A collection the Admin API serves (not Gatehouse's internal bookkeeping).</summary>
    public static EntitySchema? FindPublic(string collection) => Find(collection) is { Internal: false } schema ? schema : null;

    /// <summary>The (schema, foreign key) pairs that point at <paramref name="parent"/>.</summary>
    public static IEnumerable<(EntitySchema Child, Field Field)> ReferencesTo(EntitySchema parent) =>
        All.SelectMany(child => child.ForeignKeys.Where(f => f.Reference == parent.Name).Select(f => (child, f)));
}
