namespace Gatehouse.Core.Entities;

/// <summary>How a write's input reads, beyond its body: what differs between the Admin API and a declarative file.</summary>
public sealed record WriteOptions
{
    /// <summary>A declarative file: <c>ttl</c> is the Unix time a credential expires, and passwords are hashed.</summary>
    public static WriteOptions Declarative { get; } = new();

    /// <summary>The Admin API: <c>ttl</c> is seconds from now (Kong's endpoints.lua:151-155), and passwords are hashed.</summary>
    public static WriteOptions AdminApi { get; } = new() { RelativeTtl = true };

    /// <summary>
    /// Kong's on-write transformations run (<see cref="EntitySchema.Transform"/>). False when the
    /// values are transformed already: Konnect's <c>?skip_hash=true</c>, a file's
    /// <c>_transform: false</c> (kong/db/declarative/import.lua:426) or decK's
    /// <c>_info.skip_hash_for_basic_auth</c>.
    /// </summary>
    public bool Transform { get; init; } = true;

    /// <summary>A <c>ttl</c> given is seconds from the entity's creation, not the Unix time it expires.</summary>
    public bool RelativeTtl { get; init; }
}
