using System.Text.Json.Nodes;
using Gatehouse.Core.Entities.Schemas;

namespace Gatehouse.Core.Entities;

/// <summary>
/// Which consumers are in which consumer groups, from either side: Konnect's
/// <c>/consumer_groups/{g}/consumers</c> and <c>/consumers/{c}/consumer_groups</c>. A membership
/// is an entity of its own, unique per (group, consumer), gone with either of them.
/// </summary>
public sealed class ConsumerGroupMemberships(EntityService entities)
{
    private static readonly EntitySchema s_membership = ConsumerGroups.Membership;
    private static readonly Field s_groupField = s_membership.Find("consumer_group")!;
    private static readonly Field s_consumerField = s_membership.Find("consumer")!;

    /// <summary>Adds the consumer to the group; the answer is the group and its consumers.</summary>
    public async Task<(JsonObject Group, JsonObject Consumer)> AddAsync(
        Guid controlPlane, string groupKey, string consumerKey, CancellationToken cancellationToken)
    {
        var group = await entities.GetAsync(controlPlane, ConsumerGroups.Schema, groupKey, null, cancellationToken).ConfigureAwait(false);
        var consumer = await FindConsumerAsync(controlPlane, consumerKey, cancellationToken).ConfigureAwait(false);
        var membership = new JsonObject
        {
            ["consumer_group"] = new JsonObject { ["id"] = EntityIndexes.IdOf(group) },
            ["consumer"] = new JsonObject { ["id"] = EntityIndexes.IdOf(consumer) },
        };
        try
        {
            await entities.CreateAsync(controlPlane, s_membership, membership, null, cancellationToken).ConfigureAwait(false);
        }
        catch (EntityRejectedException e) when (e.Kind == Rejection.Conflict)
        {
            throw new EntityRejectedException(Rejection.Conflict, $"Consumer '{consumerKey}' already in group '{EntityIndexes.IdOf(group)}'");
        }
        return (group, consumer);
    }

    public async Task RemoveAsync(Guid controlPlane, string groupKey, string consumerKey, CancellationToken cancellationToken)
    {
        var group = await entities.GetAsync(controlPlane, ConsumerGroups.Schema, groupKey, null, cancellationToken).ConfigureAwait(false);
        var consumer = await FindConsumerAsync(controlPlane, consumerKey, cancellationToken).ConfigureAwait(false);
        var memberships = await AllAsync(controlPlane, ConsumerGroups.Schema, EntityIndexes.IdOf(group), s_groupField, cancellationToken).ConfigureAwait(false);
        var membership = memberships.FirstOrDefault(m => m["consumer"]?["id"]?.GetValue<string>() == EntityIndexes.IdOf(consumer))
            ?? throw new EntityRejectedException(Rejection.NotFound, $"Consumer '{consumerKey}' not found in Group '{groupKey}'");
        await entities.DeleteAsync(controlPlane, s_membership, EntityIndexes.IdOf(membership), null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Empties the group (or takes the consumer out of every group); 404 when there was nothing to remove.</summary>
    public async Task RemoveAllAsync(Guid controlPlane, EntitySchema side, string key, CancellationToken cancellationToken)
    {
        var owner = await entities.GetAsync(controlPlane, side, key, null, cancellationToken).ConfigureAwait(false);
        var field = side == ConsumerGroups.Schema ? s_groupField : s_consumerField;
        var memberships = await AllAsync(controlPlane, side, EntityIndexes.IdOf(owner), field, cancellationToken).ConfigureAwait(false);
        if (memberships.Count == 0)
        {
            throw new EntityRejectedException(Rejection.NotFound,
                side == ConsumerGroups.Schema ? $"Group '{EntityIndexes.IdOf(owner)}' has no consumers" : $"Consumer '{EntityIndexes.IdOf(owner)}' not in group");
        }
        foreach (var membership in memberships)
        {
            await entities.DeleteAsync(controlPlane, s_membership, EntityIndexes.IdOf(membership), null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The consumers of a group, or the groups of a consumer, a page at a time.</summary>
    public async Task<EntityPage> ListAsync(
        Guid controlPlane, EntitySchema side, string key, EntityListQuery query, CancellationToken cancellationToken)
    {
        var (field, otherField, other) = side == ConsumerGroups.Schema
            ? (s_groupField, s_consumerField, Consumers.Schema)
            : (s_consumerField, s_groupField, ConsumerGroups.Schema);
        var page = await entities.ListAsync(controlPlane, s_membership, query with { Tags = [] }, new ParentScope(side, key, field), cancellationToken)
            .ConfigureAwait(false);
        var others = await entities.GetManyAsync(controlPlane, other, [.. page.Items.Select(m => m[otherField.Name]!["id"]!.GetValue<string>())], cancellationToken)
            .ConfigureAwait(false);
        return new EntityPage([.. others.Where(item => query.Matches(item, null))], page.Next);
    }

    private async Task<JsonObject> FindConsumerAsync(Guid controlPlane, string key, CancellationToken cancellationToken)
    {
        try
        {
            return await entities.GetAsync(controlPlane, Consumers.Schema, key, null, cancellationToken).ConfigureAwait(false);
        }
        catch (EntityRejectedException e) when (e.Kind == Rejection.NotFound)
        {
            throw new EntityRejectedException(Rejection.NotFound, $"Consumer '{key}' not found");
        }
    }

    private async Task<List<JsonObject>> AllAsync(Guid controlPlane, EntitySchema side, string id, Field field, CancellationToken cancellationToken)
    {
        var all = new List<JsonObject>();
        var query = new EntityListQuery { Size = EntityListQuery.MaxSize };
        while (true)
        {
            var page = await entities.ListAsync(controlPlane, s_membership, query, new ParentScope(side, id, field), cancellationToken).ConfigureAwait(false);
            all.AddRange(page.Items);
            if (page.Next is null)
            {
                return all;
            }
            query = query with { After = page.Next };
        }
    }
}
