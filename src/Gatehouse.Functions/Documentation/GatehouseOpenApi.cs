using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.WebUtilities;

namespace Gatehouse.Functions.Documentation;

/// <summary>
/// The OpenAPI 3.1 description of the API this app serves. Its paths and operations are the app's
/// endpoints, read from their route patterns and metadata (<see cref="EndpointDocumentation"/>),
/// so an endpoint cannot be left out or one described that does not exist; the schemas are built
/// from the same entity schemas that validate requests, so they cannot drift from what the code accepts.
/// </summary>
internal static partial class GatehouseOpenApi
{
    public const string DocumentPath = "/openapi/v1.json";

    /// <summary>Serves the document, built from every endpoint of the app when it is first asked for.</summary>
    public static void MapOpenApiDocument(this WebApplication app)
    {
        var document = new Lazy<string>(() => Build(app.Services.GetRequiredService<EndpointDataSource>().Endpoints).ToJsonString());
        app.MapGet(DocumentPath, () => Results.Text(document.Value, "application/json")).ExcludeFromDescription();
    }

    public static JsonObject Build(IEnumerable<Endpoint> endpoints)
    {
        var paths = new JsonObject();
        foreach (var endpoint in endpoints.OfType<RouteEndpoint>().Where(e => e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true }))
        {
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } routed
                ? routed
                : throw Undocumented(endpoint, "its HTTP methods");
            var template = PathTemplate(endpoint.RoutePattern);
            if (paths[template] is not JsonObject item)
            {
                item = new JsonObject();
                if (endpoint.RoutePattern.Parameters.Count > 0)
                {
                    item["parameters"] = new JsonArray([.. endpoint.RoutePattern.Parameters.Select(p => PathParameter(p.Name))]);
                }
                paths[template] = item;
            }
            foreach (var method in methods)
            {
                item[method.ToLowerInvariant()] = Operation(endpoint);
            }
        }

        return new JsonObject
        {
            ["openapi"] = "3.1.0",
            ["info"] = new JsonObject
            {
                ["title"] = "Gatehouse",
                ["version"] = "v1",
                ["description"] = "A self-hosted control plane for Kong Gateway data planes, compatible with Kong Konnect's Control Planes v2 and Control Planes Configuration v2 APIs.",
            },
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = Schemas(),
                ["securitySchemes"] = new JsonObject
                {
                    [OpenApiSecurity.AdminToken.Scheme!] = new JsonObject
                    {
                        ["type"] = "http",
                        ["scheme"] = "bearer",
                        ["description"] = "The admin token (the organization admin, which may do everything), or a system account's spat_ token, "
                            + "which may do what its assigned roles grant; /v3 is the admin token's alone.",
                    },
                    [OpenApiSecurity.DataPlaneCertificate.Scheme!] = new JsonObject
                    {
                        ["type"] = "mutualTLS",
                        ["description"] = "A client certificate pinned with dp-client-certificates (by SHA-256); on Azure forwarded as X-ARR-ClientCert when trusted.",
                    },
                },
            },
        };
    }

    /// <summary>The route's path as OpenAPI writes it: <c>/v2/control-planes/{controlPlaneId}</c>.</summary>
    public static string PathTemplate(RoutePattern pattern) =>
        "/" + string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart parameter => $"{{{parameter.Name}}}",
            _ => throw new NotSupportedException($"Route part {part.GetType().Name} in {pattern.RawText}"),
        }))));

    private static JsonObject Operation(RouteEndpoint endpoint)
    {
        var metadata = endpoint.Metadata;
        var operation = new JsonObject
        {
            ["tags"] = new JsonArray([.. (metadata.GetMetadata<ITagsMetadata>()?.Tags ?? throw Undocumented(endpoint, "tags (WithTags)")).Select(t => (JsonNode)t)]),
            ["summary"] = metadata.GetMetadata<IEndpointSummaryMetadata>()?.Summary ?? throw Undocumented(endpoint, "a summary (WithSummary)"),
        };
        if (metadata.GetMetadata<IEndpointDescriptionMetadata>() is { } description)
        {
            operation["description"] = description.Description;
        }
        if (metadata.GetOrderedMetadata<DocumentedParameter>() is { Count: > 0 } parameters)
        {
            operation["parameters"] = new JsonArray([.. parameters.Select(p => p.Parameter.DeepClone())]);
        }
        if (metadata.GetMetadata<DocumentedRequestBody>() is { } body)
        {
            operation["requestBody"] = new JsonObject
            {
                ["required"] = true,
                ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = body.Schema.DeepClone() } },
            };
        }
        var responses = new JsonObject();
        foreach (var response in metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>())
        {
            var json = new JsonObject { ["description"] = response.Description ?? ReasonPhrases.GetReasonPhrase(response.StatusCode) };
            if (response is DocumentedResponse { Schema: { } schema })
            {
                json["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = schema.DeepClone() } };
            }
            responses[response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)] = json;
        }
        operation["responses"] = responses.Count > 0 ? responses : throw Undocumented(endpoint, "its responses (Responds)");
        var security = metadata.GetMetadata<OpenApiSecurity>() ?? OpenApiSecurity.AdminToken;
        operation["security"] = security.Scheme is null ? new JsonArray() : new JsonArray(new JsonObject { [security.Scheme] = new JsonArray() });
        return operation;
    }

    /// <summary>Ids in paths are UUIDs; keys are an id or the entity's endpoint key (a name, say).</summary>
    private static JsonObject PathParameter(string name)
    {
        var schema = new JsonObject { ["type"] = "string" };
        if (name.EndsWith("Id", StringComparison.Ordinal))
        {
            schema["format"] = "uuid";
        }
        return new JsonObject { ["name"] = name, ["in"] = "path", ["required"] = true, ["schema"] = schema };
    }

    private static InvalidOperationException Undocumented(RouteEndpoint endpoint, string what) =>
        new($"Endpoint {endpoint.DisplayName ?? endpoint.RoutePattern.RawText} does not document {what}; document it, or exclude it with ExcludeFromDescription.");
}
