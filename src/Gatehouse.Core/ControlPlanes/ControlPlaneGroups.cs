using Gatehouse.Core.Composition;
using Gatehouse.Core.DataPlanes;
using Gatehouse.Core.Validation;

namespace Gatehouse.Core.ControlPlanes;

/// <summary>
/// Control plane groups' memberships, with Konnect's rules: at most 256 members, at most 50 added
/// or removed per call, a control plane in at most 5 groups, no groups inside groups. Every
/// change asks for the group to be recomposed.
/// </summary>
public sealed class ControlPlaneGroups(IControlPlaneStore controlPlanes, IGroupMembershipStore memberships, IRecomposeQueue recompose, INodeStore nodes)
{
    public const int MaxMembers = 256;
    public const int MaxPerCall = 50;
    public const int MaxGroupsPerMember = 5;

    // Membership changes are rare; a few fresh reads absorb any contention.
    private const int MaxAttempts = 10;

    public async Task AddAsync(Guid group, IReadOnlyList<Guid> members, CancellationToken cancellationToken)
    {
        CheckCallSize(members);
        await ChangeAsync(group, members, add: true, cancellationToken).ConfigureAwait(false);
    }

    public async Task RemoveAsync(Guid group, IReadOnlyList<Guid> members, CancellationToken cancellationToken)
    {
        CheckCallSize(members);
        await ChangeAsync(group, members, add: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>PUT: the group's members become exactly <paramref name="members"/>.</summary>
    public async Task ReplaceAsync(Guid group, IReadOnlyList<Guid> members, CancellationToken cancellationToken)
    {
        if (members.Count > MaxMembers)
        {
            throw Invalid("members", $"a control plane group holds at most {MaxMembers} members", "max_items", maximum: MaxMembers);
        }
        await RequireGroupAsync(group, cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var state = await memberships.ReadAsync(cancellationToken).ConfigureAwait(false);
            var current = state.MembersOf(group);
            var add = members.Except(current).Distinct().ToList();
            var remove = current.Except(members).ToList();
            await CheckMembersAsync(state, group, add, members.Distinct().Count(), cancellationToken).ConfigureAwait(false);
            if (await memberships.TryChangeAsync(state, [.. add.Select(m => (group, m))], [.. remove.Select(m => (group, m))], cancellationToken).ConfigureAwait(false))
            {
                await recompose.EnqueueAsync(group, cancellationToken).ConfigureAwait(false);
                return;
            }
        }
        throw new ConflictException($"The members of control plane group {group} are being changed by others; retry.");
    }

    /// <summary>The group's members, in id order, a page at a time after <paramref name="after"/>.</summary>
    public async Task<(IReadOnlyList<ControlPlane> Page, Guid? Next, int Total)> ListAsync(Guid group, int size, Guid? after, CancellationToken cancellationToken)
    {
        await RequireGroupAsync(group, cancellationToken).ConfigureAwait(false);
        var members = (await memberships.ReadAsync(cancellationToken).ConfigureAwait(false)).MembersOf(group);
        var remaining = members.SkipWhile(m => after is { } a && m.CompareTo(a) <= 0).ToList();
        var page = new List<ControlPlane>();
        foreach (var id in remaining.Take(size))
        {
            if (await controlPlanes.FindAsync(id, cancellationToken).ConfigureAwait(false) is { } member)
            {
                page.Add(member);
            }
        }
        return (page, remaining.Count > size ? remaining[size - 1] : null, members.Count);
    }

    public async Task<bool> IsMemberAsync(Guid controlPlane, CancellationToken cancellationToken)
    {
        _ = await controlPlanes.GetExistingAsync(controlPlane, cancellationToken).ConfigureAwait(false);
        return (await memberships.ReadAsync(cancellationToken).ConfigureAwait(false)).GroupsOf(controlPlane).Count > 0;
    }

    /// <summary>Takes a control plane out of every group, before it is deleted; the groups recompose without it.</summary>
    public async Task LeaveAllAsync(Guid member, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var state = await memberships.ReadAsync(cancellationToken).ConfigureAwait(false);
            var groups = state.GroupsOf(member);
            if (groups.Count == 0)
            {
                return;
            }
            if (await memberships.TryChangeAsync(state, [], [.. groups.Select(g => (g, member))], cancellationToken).ConfigureAwait(false))
            {
                foreach (var group in groups)
                {
                    await recompose.EnqueueAsync(group, cancellationToken).ConfigureAwait(false);
                }
                return;
            }
        }
        throw new ConflictException($"The group memberships of control plane {member} are being changed by others; retry.");
    }

    private async Task ChangeAsync(Guid group, IReadOnlyList<Guid> members, bool add, CancellationToken cancellationToken)
    {
        await RequireGroupAsync(group, cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var state = await memberships.ReadAsync(cancellationToken).ConfigureAwait(false);
            var current = state.MembersOf(group);
            List<Guid> changes;
            if (add)
            {
                changes = members.Except(current).Distinct().ToList();
                await CheckMembersAsync(state, group, changes, current.Count + changes.Count, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                changes = members.Intersect(current).ToList();
            }
            if (changes.Count == 0)
            {
                return;
            }
            var pairs = changes.Select(m => (group, m)).ToList();
            if (await memberships.TryChangeAsync(state, add ? pairs : [], add ? [] : pairs, cancellationToken).ConfigureAwait(false))
            {
                await recompose.EnqueueAsync(group, cancellationToken).ConfigureAwait(false);
                return;
            }
        }
        throw new ConflictException($"The members of control plane group {group} are being changed by others; retry.");
    }

    /// <summary>Every new member exists, is a standard control plane, and has room for one more group.</summary>
    private async Task CheckMembersAsync(GroupMemberships state, Guid group, IReadOnlyList<Guid> joining, int resultingCount, CancellationToken cancellationToken)
    {
        var errors = new List<InvalidParameter>();
        if (resultingCount > MaxMembers)
        {
            errors.Add(new InvalidParameter("members", $"a control plane group holds at most {MaxMembers} members; this would make {resultingCount}", "max_items")
            {
                Maximum = MaxMembers,
            });
        }
        for (var i = 0; i < joining.Count; i++)
        {
            var field = $"members[{i}].id";
            var member = await controlPlanes.FindAsync(joining[i], cancellationToken).ConfigureAwait(false);
            if (member is null)
            {
                errors.Add(new InvalidParameter(field, $"control plane {joining[i]} does not exist", "missing_reference"));
            }
            else if (member.IsGroup)
            {
                errors.Add(new InvalidParameter(field, $"control plane {joining[i]} is a group; groups cannot be members of groups", "invalid"));
            }
            else if (member.ClusterType != ClusterType.ControlPlane)
            {
                errors.Add(new InvalidParameter(field, $"control plane {joining[i]} is of type {member.ClusterType.ToWire()}; only CLUSTER_TYPE_CONTROL_PLANE can join a group", "invalid"));
            }
            else if (state.GroupsOf(joining[i]).Count >= MaxGroupsPerMember)
            {
                errors.Add(new InvalidParameter(field, $"control plane {joining[i]} is already in {MaxGroupsPerMember} groups, the most allowed", "invalid"));
            }
            else if (await nodes.CountAsync(joining[i], cancellationToken).ConfigureAwait(false) is > 0 and var count)
            {
                // Konnect's rule: a member's data planes would run only the member's part of the group's config.
                errors.Add(new InvalidParameter(field,
                    $"control plane {joining[i]} has {count} data plane node(s); members of a group may not have any (connect them to the group, and delete the member's nodes)",
                    "invalid"));
            }
        }
        if (errors.Count > 0)
        {
            throw new RequestInvalidException("Request contains invalid group members.", errors);
        }
    }

    private async Task RequireGroupAsync(Guid group, CancellationToken cancellationToken)
    {
        var controlPlane = await controlPlanes.GetExistingAsync(group, cancellationToken).ConfigureAwait(false);
        if (!controlPlane.IsGroup)
        {
            throw Invalid("controlPlaneId", $"control plane {group} is not a control plane group", "invalid");
        }
    }

    private static void CheckCallSize(IReadOnlyList<Guid> members)
    {
        if (members.Count > MaxPerCall)
        {
            throw Invalid("members", $"at most {MaxPerCall} members can be added or removed at a time", "max_items", maximum: MaxPerCall);
        }
    }

    private static RequestInvalidException Invalid(string field, string reason, string rule, int? maximum = null) =>
        new(reason, [new InvalidParameter(field, reason, rule) { Maximum = maximum }]);
}
