using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;
using Gatehouse.Functions.Access;
using Gatehouse.Functions.Documentation;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.Entities;

/// <summary>
/// <c>/consumer_groups/{g}/consumers[/{c}]</c> and <c>/consumers/{c}/consumer_groups[/{g}]</c>:
/// consumer group membership, seen from either side.
/// </summary>
internal static class MembershipEndpoints
{
    public static void MapMemberships(this RouteGroupBuilder group)
    {
        MapSide(group, new Side(ConsumerGroups.Schema, Consumers.Schema, "consumer"));
        MapSide(group, new Side(Consumers.Schema, ConsumerGroups.Schema, "group"));
    }

    /// <summary>One side of the membership: the entity in the path, the other side, and the field a POST names the other by.</summary>
    private sealed record Side(EntitySchema Schema, EntitySchema Other, string Field)
    {
        public bool IsGroup => Schema == ConsumerGroups.Schema;

        public string Members => $"/{Schema.Name}/{{{EntityCollection.KeyParameter(Schema)}}}/{Other.Name}";

        public string Member => $"{Members}/{{{EntityCollection.KeyParameter(Other)}}}";

        public string Key(HttpContext context) => EntityCollection.Key(context, Schema);

        public string OtherKey(HttpContext context) => EntityCollection.Key(context, Other);
    }

    private static void MapSide(RouteGroupBuilder parentGroup, Side side)
    {
        // Membership is the consumers' and consumer groups' own: Consumer Admin's.
        var group = parentGroup.MapGroup("").RequiresAccess(AccessRequirement.ControlPlaneEntity(side.Schema.Name));
        var error = ApiSchemas.KongError;
        group.MapGet(side.Members, context => CoreEntityEndpoints.ExecuteAsync(context, ListAsync(context, side)))
            .WithTags(side.Schema.Name)
            .WithSummary($"List the {side.Other.Name} of a {side.Schema.Singular}: size (1-1000), offset, tags.")
            .Responds(200, "A page: data, and next and offset while there is more")
            .Responds(404, $"No such {side.Schema.Singular}", error);
        group.MapPost(side.Members, context => CoreEntityEndpoints.ExecuteAsync(context, AddAsync(context, side)))
            .WithTags(side.Schema.Name)
            .WithSummary($"Add a {side.Schema.Singular} to a {side.Other.Singular}, named by id or {side.Other.EndpointKey} in '{side.Field}'.")
            .WithRequestBody(new JsonObject
            {
                ["type"] = "object",
                ["required"] = new JsonArray(side.Field),
                ["properties"] = new JsonObject { [side.Field] = new JsonObject { ["type"] = "string", ["minLength"] = 1 } },
            })
            .Responds(201, side.IsGroup ? "consumer_group, and consumers: the one added" : "consumer, and consumer_groups: the one added", ApiSchemas.Object(new JsonObject
            {
                [side.Schema.Singular] = ApiSchemas.Entity(side.Schema),
                [side.Other.Name] = new JsonObject { ["type"] = "array", ["items"] = ApiSchemas.Entity(side.Other) },
            }))
            .Responds(400, $"No {side.Field} named", error)
            .Responds(404, $"No such {side.Schema.Singular} or {side.Other.Singular}", error)
            .Responds(409, "Already a member", error);
        group.MapDelete(side.Members, context => CoreEntityEndpoints.ExecuteAsync(context, RemoveAllAsync(context, side)))
            .WithTags(side.Schema.Name)
            .WithSummary($"Remove a {side.Schema.Singular} from every {side.Other.Singular}.")
            .Responds(204, "Removed")
            .Responds(404, $"No such {side.Schema.Singular}", error);
        group.MapDelete(side.Member, context => CoreEntityEndpoints.ExecuteAsync(context, RemoveAsync(context, side)))
            .WithTags(side.Schema.Name)
            .WithSummary($"Remove a {side.Schema.Singular} from a {side.Other.Singular}.")
            .Responds(204, "Removed")
            .Responds(404, "Not a member", error);
    }

    private static async Task<IResult> ListAsync(HttpContext context, Side side)
    {
        var controlPlane = CoreEntityEndpoints.ControlPlane(context);
        var page = await Memberships(context).ListAsync(controlPlane, side.Schema, side.Key(context), CoreEntityEndpoints.ListQuery(context), context.RequestAborted);
        return CoreEntityEndpoints.ListResult(context, page);
    }

    private static async Task<IResult> AddAsync(HttpContext context, Side side)
    {
        var controlPlane = CoreEntityEndpoints.ControlPlane(context);
        var request = await RequestBody.ReadObjectAsync(context.Request, context.RequestAborted);
        if (!request.TryGetProperty(side.Field, out var named) || named.ValueKind != JsonValueKind.String || named.GetString()!.Length == 0)
        {
            throw new EntityRejectedException(Rejection.Invalid, $"must provide {side.Field}", [new FieldError(side.Field, "required field missing")]);
        }
        var (key, other) = (side.Key(context), named.GetString()!);
        var (group, consumer) = await Memberships(context).AddAsync(controlPlane, side.IsGroup ? key : other, side.IsGroup ? other : key, context.RequestAborted);
        JsonObject result = side.IsGroup
            ? new JsonObject { ["consumer_group"] = group, ["consumers"] = new JsonArray(consumer) }
            : new JsonObject { ["consumer"] = consumer, ["consumer_groups"] = new JsonArray(group) };
        return Results.Json(result, ApiJson.Options, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> RemoveAllAsync(HttpContext context, Side side)
    {
        var controlPlane = CoreEntityEndpoints.ControlPlane(context);
        await Memberships(context).RemoveAllAsync(controlPlane, side.Schema, side.Key(context), context.RequestAborted);
        return Results.NoContent();
    }

    private static async Task<IResult> RemoveAsync(HttpContext context, Side side)
    {
        var controlPlane = CoreEntityEndpoints.ControlPlane(context);
        var (key, other) = (side.Key(context), side.OtherKey(context));
        await Memberships(context).RemoveAsync(controlPlane, side.IsGroup ? key : other, side.IsGroup ? other : key, context.RequestAborted);
        return Results.NoContent();
    }

    private static ConsumerGroupMemberships Memberships(HttpContext context) => context.RequestServices.GetRequiredService<ConsumerGroupMemberships>();
}
