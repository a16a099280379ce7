using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.Entities;

/// <summary>
/// <c>/consumer_groups/{g}/consumers[/{c}]</c> and <c>/consumers/{c}/consumer_groups[/{g}]</c>:
/// consumer group membership, seen from either side.
/// </summary>
internal static class MembershipEndpoints
{
    public static async Task<IResult?> TryHandleAsync(
        Guid controlPlane, string[] segments, HttpContext context, ConsumerGroupMemberships memberships, CancellationToken ct)
    {
        if (segments.Length is not (3 or 4))
        {
            return null;
        }
        var (side, other, body) = (segments[0], segments[2]) switch
        {
            ("consumer_groups", "consumers") => (ConsumerGroups.Schema, Consumers.Schema, "consumer"),
            ("consumers", "consumer_groups") => (Consumers.Schema, ConsumerGroups.Schema, "group"),
            _ => (null, null, ""),
        };
        if (side is null || other is null)
        {
            return null;
        }
        var (key, otherKey) = (segments[1], segments.Length == 4 ? segments[3] : null);
        var groupSide = side == ConsumerGroups.Schema;
        var method = context.Request.Method;

        if (otherKey is not null)
        {
            if (!HttpMethods.IsDelete(method))
            {
                return null;
            }
            await memberships.RemoveAsync(controlPlane, groupSide ? key : otherKey, groupSide ? otherKey : key, ct);
            return Results.NoContent();
        }
        if (HttpMethods.IsGet(method))
        {
            var query = EntityListQuery.Parse(context.Request.Query.Select(q => KeyValuePair.Create(q.Key, q.Value.ToString())));
            return CoreEntityEndpoints.ListResult(context, await memberships.ListAsync(controlPlane, side, key, query, ct));
        }
        if (HttpMethods.IsDelete(method))
        {
            await memberships.RemoveAllAsync(controlPlane, side, key, ct);
            return Results.NoContent();
        }
        if (HttpMethods.IsPost(method))
        {
            var request = await RequestBody.ReadObjectAsync(context.Request, ct);
            if (!request.TryGetProperty(body, out var named) || named.ValueKind != JsonValueKind.String || named.GetString()!.Length == 0)
            {
                throw new EntityRejectedException(Rejection.Invalid, $"must provide {body}", [new FieldError(body, "required field missing")]);
            }
            var (group, consumer) = await memberships.AddAsync(controlPlane, groupSide ? key : named.GetString()!, groupSide ? named.GetString()! : key, ct);
            JsonObject result = groupSide
                ? new JsonObject { ["consumer_group"] = group, ["consumers"] = new JsonArray(consumer) }
                : new JsonObject { ["consumer"] = consumer, ["consumer_groups"] = new JsonArray(group) };
            return Results.Json(result, ApiJson.Options, statusCode: StatusCodes.Status201Created);
        }
        return null;
    }
}
