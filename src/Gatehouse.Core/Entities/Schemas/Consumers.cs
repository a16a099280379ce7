using static Gatehouse.Core.Entities.EntityChecks;
using static Gatehouse.Core.Entities.Typedefs;

namespace Gatehouse.Core.Entities.Schemas;

/// <summary>Kong's consumers (kong/db/schema/entities/consumers.lua).</summary>
public static class Consumers
{
    public static EntitySchema Schema { get; } = new("consumers",
    [
        Id, CreatedAt, UpdatedAt,
        new Field("username", FieldType.String) { Unique = true },
        new Field("custom_id", FieldType.String) { Unique = true },
        Tags,
    ])
    {
        Singular = "consumer",
        EndpointKey = "username",
        Checks = [AtLeastOneOf("custom_id", "username")],
    };
}

/// <summary>Kong's consumer groups (Enterprise; in Konnect).</summary>
public static class ConsumerGroups
{
    public static EntitySchema Schema { get; } = new("consumer_groups",
    [
        Id, CreatedAt, UpdatedAt,
        new Field("name", FieldType.String) { Required = true, Unique = true },
        Tags,
    ])
    {
        Singular = "consumer_group",
        EndpointKey = "name",
    };

    /// <summary>Membership of a consumer in a group: one row per pair, gone with either side.</summary>
    public static EntitySchema Membership { get; } = new("consumer_group_consumers",
    [
        Id, CreatedAt, UpdatedAt,
        Foreign("consumer_group", "consumer_groups", OnDelete.Cascade, required: true),
        Foreign("consumer", "consumers", OnDelete.Cascade, required: true),
    ])
    {
        Singular = "consumer_group_consumer",
        CacheKey = ["consumer_group", "consumer"],
        Internal = true,
    };
}
