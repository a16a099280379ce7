using System.Text.Json.Nodes;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;
using Gatehouse.Functions.Documentation;

namespace Gatehouse.Functions.Entities;

/// <summary>
/// GET <c>/consumer_groups/{id}</c>: Konnect's ConsumerGroupInsideWrapper,
/// <c>{"consumer_group": {...}}</c>, with the group's consumers beside it unless
/// <c>list_consumers=false</c>. Kong Gateway Enterprise's Admin API answers so (listing the
/// consumers unless told not to since 3.9), go-kong's <c>ConsumerGroupService.Get</c> decodes it,
/// decK dumps a Konnect control plane's memberships from it without the parameter, and Kong's
/// consumer group form takes the members from it when <c>consumers</c> is there.
/// </summary>
internal sealed class ConsumerGroupAnswer : ItemAnswer
{
    public static readonly ConsumerGroupAnswer Instance = new();

    public const string ListConsumers = "list_consumers";

    /// <summary>
    /// At most this many consumers are listed (one read each): the largest page of the group's
    /// members, whose whole list is paged at <c>/consumer_groups/{id}/consumers</c>.
    /// </summary>
    public const int MaxListed = EntityListQuery.MaxSize;

    public override IEndpointConventionBuilder Document(IEndpointConventionBuilder route, EntitySchema schema) => route
        .WithParameter(ApiSchemas.Query(ListConsumers, new JsonObject { ["type"] = "boolean", ["default"] = true }, required: false,
            $"false: the group alone. Otherwise its consumers are listed beside it, the first {MaxListed}; all of them are at its /consumers, a page at a time."))
        .Responds(200, "consumer_group, and consumers unless list_consumers=false", ApiSchemas.Object(new JsonObject
        {
            ["consumer_group"] = ApiSchemas.Entity(ConsumerGroups.Schema),
            ["consumers"] = new JsonObject { ["type"] = "array", ["items"] = ApiSchemas.Entity(Consumers.Schema) },
        }));

    public override async Task<JsonObject> ShapeAsync(HttpContext context, Guid controlPlane, JsonObject entity)
    {
        var answer = new JsonObject { ["consumer_group"] = entity };
        if (QueryOptions.Boolean(context, ListConsumers, whenAbsent: true))
        {
            var members = await context.RequestServices.GetRequiredService<ConsumerGroupMemberships>().ListAsync(
                controlPlane, ConsumerGroups.Schema, EntityIndexes.IdOf(entity), new EntityListQuery { Size = MaxListed }, context.RequestAborted);
            answer["consumers"] = new JsonArray([.. members.Items]);
        }
        return answer;
    }
}
