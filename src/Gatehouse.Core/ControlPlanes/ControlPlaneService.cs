using Gatehouse.Core.Validation;

namespace Gatehouse.Core.ControlPlanes;

/// <summary>The control plane use cases: create, read, list, change, delete, and keeping the default one.</summary>
public sealed class ControlPlaneService(IControlPlaneStore store, IGroupMembershipStore memberships, ControlPlaneGroups groups, TimeProvider clock)
{
    // Concurrent PATCHes of one control plane retry on a fresh read; a handful of rounds is plenty.
    private const int MaxAttempts = 8;

    public async Task<ControlPlane> CreateAsync(NewControlPlane request, CancellationToken cancellationToken)
    {
        ThrowIfInvalid(ControlPlaneRules.Check(request));
        var now = clock.GetUtcNow();
        var controlPlane = new ControlPlane
        {
            Id = Guid.NewGuid(),
            Name = request.Name,
            Description = request.Description ?? "",
            Labels = Sorted(request.Labels),
            ClusterType = request.ClusterType ?? ClusterType.ControlPlane,
            AuthType = request.AuthType ?? AuthType.PinnedClientCerts,
            CloudGateway = request.CloudGateway ?? false,
            ProxyUrls = request.ProxyUrls ?? [],
            CreatedAt = now,
            UpdatedAt = now,
        };
        if (!await store.TryAddAsync(controlPlane, cancellationToken).ConfigureAwait(false))
        {
            throw NameTaken(request.Name);
        }
        return controlPlane;
    }

    public async Task<ControlPlane> GetAsync(Guid id, CancellationToken cancellationToken) =>
        await store.GetExistingAsync(id, cancellationToken).ConfigureAwait(false);

    public async Task<(IReadOnlyList<ControlPlane> Page, int Total)> ListAsync(ControlPlaneQuery query, CancellationToken cancellationToken) =>
        query.Apply(await store.ListAsync(cancellationToken).ConfigureAwait(false));

    public async Task<ControlPlane> UpdateAsync(Guid id, ControlPlaneChanges changes, CancellationToken cancellationToken)
    {
        ThrowIfInvalid(ControlPlaneRules.Check(changes));
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await GetAsync(id, cancellationToken).ConfigureAwait(false);
            if (current.IsDefault && changes.Name is not null && changes.Name != current.Name)
            {
                throw new ConflictException("The default control plane cannot be renamed.");
            }
            var updated = current with
            {
                Name = changes.Name ?? current.Name,
                Description = changes.Description ?? current.Description,
                AuthType = changes.AuthType ?? current.AuthType,
                ProxyUrls = changes.ProxyUrls ?? current.ProxyUrls,
                Labels = changes.Labels is null ? current.Labels : Sorted(changes.Labels),
                UpdatedAt = clock.GetUtcNow(),
            };
            switch (await store.TryReplaceAsync(current, updated, cancellationToken).ConfigureAwait(false))
            {
                case ReplaceOutcome.Replaced:
                    return updated;
                case ReplaceOutcome.NameTaken:
                    throw NameTaken(updated.Name);
            }
        }
        throw new ConflictException($"Control plane {id} is being changed by others too often to apply this change; retry.");
    }

    public async Task DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await GetAsync(id, cancellationToken).ConfigureAwait(false);
            if (current.IsDefault)
            {
                throw new ConflictException("The default control plane cannot be deleted.");
            }
            if (current.IsGroup && (await memberships.ReadAsync(cancellationToken).ConfigureAwait(false)).MembersOf(id).Count is var count and > 0)
            {
                throw new ConflictException($"Control plane group {id} still has {count} members; remove them first (POST .../group-memberships/remove).");
            }
            // A member leaves its groups first, so that they recompose without it.
            await groups.LeaveAllAsync(id, cancellationToken).ConfigureAwait(false);
            if (await store.TryRemoveAsync(current, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
        throw new ConflictException($"Control plane {id} is being changed by others too often to delete it; retry.");
    }

    /// <summary>Makes sure the default control plane exists; safe to run from several instances at once.</summary>
    public async Task<ControlPlane> EnsureDefaultAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var existing = (await store.ListAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(cp => cp.IsDefault);
            if (existing is not null)
            {
                return existing;
            }
            var now = clock.GetUtcNow();
            var created = new ControlPlane
            {
                Id = Guid.NewGuid(),
                Name = ControlPlane.DefaultName,
                Description = "The default control plane.",
                IsDefault = true,
                CreatedAt = now,
                UpdatedAt = now,
            };
            if (await store.TryAddAsync(created, cancellationToken).ConfigureAwait(false))
            {
                return created;
            }
            // Another instance won the race, or a user took the name before the default existed.
            var named = await store.FindByNameAsync(ControlPlane.DefaultName, cancellationToken).ConfigureAwait(false);
            if (named is not null && !named.IsDefault)
            {
                throw new ConflictException(
                    $"A control plane named '{ControlPlane.DefaultName}' exists ({named.Id}) but is not the default; rename it so the default can be created.");
            }
        }
        throw new ConflictException("Could not create the default control plane.");
    }

    private static SortedDictionary<string, string> Sorted(IReadOnlyDictionary<string, string>? labels) =>
        new(labels?.ToDictionary() ?? [], StringComparer.Ordinal);

    private static void ThrowIfInvalid(List<InvalidParameter> errors)
    {
        if (errors.Count > 0)
        {
            throw new RequestInvalidException("Request contains invalid parameters.", errors);
        }
    }

    private static ConflictException NameTaken(string name) => new($"Control Plane with provided name already exists: [{name}].");
}
