namespace Gatehouse.Core.ControlPlanes;

/// <summary>
/// Every group membership there is, as read at one moment. Memberships are few (at most 256
/// per group), so they are read and changed as a whole, each change conditional on
/// <see cref="Version"/>; <see cref="Sequence"/> counts the changes, and only goes up.
/// </summary>
public sealed record GroupMemberships(IReadOnlyList<(Guid Group, Guid Member)> Pairs, long Sequence, string? Version)
{
    public IReadOnlyList<Guid> MembersOf(Guid group) => [.. Pairs.Where(p => p.Group == group).Select(p => p.Member).Order()];

    public IReadOnlyList<Guid> GroupsOf(Guid member) => [.. Pairs.Where(p => p.Member == member).Select(p => p.Group).Order()];
}

/// <summary>Where group memberships are kept.</summary>
public interface IGroupMembershipStore
{
    Task<GroupMemberships> ReadAsync(CancellationToken cancellationToken);

    /// <summary>Adds and removes pairs if nothing changed since <paramref name="read"/>; false means read again.</summary>
    Task<bool> TryChangeAsync(
        GroupMemberships read, IReadOnlyCollection<(Guid Group, Guid Member)> add, IReadOnlyCollection<(Guid Group, Guid Member)> remove,
        CancellationToken cancellationToken);
}
