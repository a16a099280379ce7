using System.Text.Json.Nodes;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;
using Gatehouse.Functions.Documentation;

namespace Gatehouse.Functions.Entities;

/// <summary>
/// GET <c>/consumer_groups/{id}</c>: Konnect's ConsumerGroupInsideWrapper,
/// <c>{"consumer_group": {...}}</c>, with the group's consumers beside it unless
/// <c>list_consumers</c> says otherwise. Kong Gateway Enterprise answers so
/// (kong/api/routes/consumer_groups.lua, GET <c>/consumer_groups/:consumer_groups</c>: consumers
/// when <c>list_consumers</c> is absent or <c>true</c>, left out when there are none), go-kong's
/// <c>ConsumerGroupService.Get</c> decodes it, decK dumps a Konnect control plane's memberships
/// from it without the parameter, and Kong's consumer group form takes the members from it.
/// Enterprise's <c>plugins</c> are its consumer_group_plugins, which Gatehouse does not have.
/// </summary>
internal sealed class ConsumerGroupAnswer : ItemAnswer
{
    public static readonly ConsumerGroupAnswer Instance = new();

    public const string ListConsumers = "list_consumers";

    /// <summary>
    /// At most this many consumers are listed (one read each), where Enterprise lists them all:
    /// the largest page of the group's members, whose whole list is paged at <c>/consumer_groups/{id}/consumers</c>.
    /// </summary>
    public const int MaxListed = EntityListQuery.MaxSize;

    public override IEndpointConventionBuilder Document(IEndpointConventionBuilder route, EntitySchema schema) => route
        .WithParameter(ApiSchemas.Query(ListConsumers, new JsonObject { ["type"] = "boolean", ["default"] = true }, required: false,
            $"Anything but true: the group alone. Otherwise its consumers are listed beside it, the first {MaxListed}; all of them are at its /consumers, a page at a time."))
        .Responds(200, "consumer_group, and consumers when listed and there are any", ApiSchemas.Object(new JsonObject
        {
            ["consumer_group"] = ApiSchemas.Entity(ConsumerGroups.Schema),
            ["consumers"] = new JsonObject { ["type"] = "array", ["items"] = ApiSchemas.Entity(Consumers.Schema) },
        }));

    public override async Task<JsonObject> ShapeAsync(HttpContext context, Guid controlPlane, JsonObject entity)
    {
        var answer = new JsonObject { ["consumer_group"] = entity };
        // Kong lists unless told otherwise; a bare ?list_consumers reads as true in Kong and as "" here.
        if (context.Request.Query[ListConsumers].ToString() is "" or "true")
        {
            var members = await context.RequestServices.GetRequiredService<ConsumerGroupMemberships>().ListAsync(
                controlPlane, ConsumerGroups.Schema, EntityIndexes.IdOf(entity), new EntityListQuery { Size = MaxListed }, context.RequestAborted);
            if (members.Items.Count > 0)
            {
                answer["consumers"] = new JsonArray([.. members.Items]);
            }
        }
        return answer;
    }
}
