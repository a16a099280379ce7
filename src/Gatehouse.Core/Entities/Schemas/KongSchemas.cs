namespace Gatehouse.Core.Entities.Schemas;

/// <summary>
/// Every core entity Gatehouse stores, by the collection name the Admin API uses: the one list of
/// collections. <see cref="All"/> is in the order decK writes a file's sections, then the
/// consumer credentials, which decK writes in their consumer.
/// </summary>
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
        .. ConsumerCredentials.All,
    ];

    private static readonly Dictionary<string, EntitySchema> s_byName = All.ToDictionary(s => s.Name, StringComparer.Ordinal);

    /// <summary>Every collection after the ones its foreign keys point at (certificates before services, services before routes...).</summary>
    public static IReadOnlyList<EntitySchema> InDependencyOrder { get; } = DependencyOrder();

    public static EntitySchema? Find(string collection) => s_byName.GetValueOrDefault(collection);

    /// <summary>A collection the Admin API serves (not Gatehouse's internal bookkeeping).</summary>
    public static EntitySchema? FindPublic(string collection) => Find(collection) is { Internal: false } schema ? schema : null;

    /// <summary>The (schema, foreign key) pairs that point at <paramref name="parent"/>.</summary>
    public static IEnumerable<(EntitySchema Child, Field Field)> ReferencesTo(EntitySchema parent) =>
        All.SelectMany(child => child.ForeignKeys.Where(f => f.Reference == parent.Name).Select(f => (child, f)));

    /// <summary>Depth first over the foreign keys, otherwise in the order of <see cref="All"/>.</summary>
    private static List<EntitySchema> DependencyOrder()
    {
        var ordered = new List<EntitySchema>();
        void Visit(EntitySchema schema)
        {
            if (ordered.Contains(schema))
            {
                return;
            }
            foreach (var field in schema.ForeignKeys.Where(f => f.Reference != schema.Name))
            {
                Visit(s_byName[field.Reference!]);
            }
            ordered.Add(schema);
        }
        foreach (var schema in All)
        {
            Visit(schema);
        }
        return ordered;
    }
}
