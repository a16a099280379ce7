using System.Text.Json.Nodes;
using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;
using Gatehouse.Functions.Documentation;

namespace Gatehouse.Functions.Entities;

/// <summary>
/// What a GET of one entity answers, for its handler and its documentation alike. Konnect answers
/// most entities bare; a type its reference answers in another shape says so here, once.
/// </summary>
internal abstract class ItemAnswer
{
    public static ItemAnswer For(EntitySchema schema) => schema == ConsumerGroups.Schema ? ConsumerGroupAnswer.Instance : BareAnswer.Instance;

    /// <summary>The answer's query parameters and its 200, in the document.</summary>
    public abstract IEndpointConventionBuilder Document(IEndpointConventionBuilder route, EntitySchema schema);

    /// <summary>The answer to a GET of <paramref name="entity"/>, as the API presents it.</summary>
    public abstract Task<JsonObject> ShapeAsync(HttpContext context, Guid controlPlane, JsonObject entity);

    private sealed class BareAnswer : ItemAnswer
    {
        public static readonly BareAnswer Instance = new();

        public override IEndpointConventionBuilder Document(IEndpointConventionBuilder route, EntitySchema schema) =>
            route.Responds(200, "The entity", ApiSchemas.Entity(schema));

        public override Task<JsonObject> ShapeAsync(HttpContext context, Guid controlPlane, JsonObject entity) => Task.FromResult(entity);
    }
}
