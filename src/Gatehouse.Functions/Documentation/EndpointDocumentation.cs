using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Metadata;

namespace Gatehouse.Functions.Documentation;

/// <summary>
/// What an endpoint says about itself for <see cref="GatehouseOpenApi"/>, next to the endpoint:
/// ASP.NET Core's own <c>WithTags</c>/<c>WithSummary</c>, and these for what carries Konnect's
/// shapes (JSON Schema of bodies, query and header parameters), which CLR types cannot say.
/// </summary>
internal static class EndpointDocumentation
{
    /// <summary>A response: its status, what it means, and the JSON Schema of its body (none: the body is not described).</summary>
    public static TBuilder Responds<TBuilder>(this TBuilder builder, int status, string description, JsonObject? schema = null)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new DocumentedResponse(status, description, schema));

    /// <summary>The JSON body the endpoint requires.</summary>
    public static TBuilder WithRequestBody<TBuilder>(this TBuilder builder, JsonObject schema) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new DocumentedRequestBody(schema));

    /// <summary>A query or header parameter, as an OpenAPI parameter object (path parameters come from the route).</summary>
    public static TBuilder WithParameter<TBuilder>(this TBuilder builder, JsonObject parameter) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new DocumentedParameter(parameter));

    /// <summary>How callers authenticate, when not with the admin token.</summary>
    public static TBuilder WithOpenApiSecurity<TBuilder>(this TBuilder builder, OpenApiSecurity security) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(security);
}

internal sealed class DocumentedResponse(int status, string description, JsonObject? schema) : IProducesResponseTypeMetadata
{
    public JsonObject? Schema => schema;

    public Type? Type => null;

    public int StatusCode => status;

    public string? Description => description;

    public IEnumerable<string> ContentTypes => schema is null ? [] : ["application/json"];
}

internal sealed class DocumentedRequestBody(JsonObject schema)
{
    public JsonObject Schema => schema;
}

internal sealed class DocumentedParameter(JsonObject parameter)
{
    public JsonObject Parameter => parameter;
}

/// <summary>
/// The security scheme the document names for an endpoint. It documents, it does not enforce:
/// the app's middleware does (see GatehouseApp), and a test checks that they agree.
/// </summary>
internal sealed class OpenApiSecurity
{
    public static readonly OpenApiSecurity AdminToken = new("adminToken");
    public static readonly OpenApiSecurity DataPlaneCertificate = new("dataPlaneCertificate");
    public static readonly OpenApiSecurity None = new(null);

    private OpenApiSecurity(string? scheme) => Scheme = scheme;

    /// <summary>The name in <c>components.securitySchemes</c>; null for none.</summary>
    public string? Scheme { get; }
}
