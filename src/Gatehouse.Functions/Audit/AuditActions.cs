using Gatehouse.Functions.Http;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Gatehouse.Functions.Audit;

/// <summary>Names an endpoint's audit action in place of the one <see cref="AuditActions"/> derives from its route.</summary>
internal sealed record AuditedAction(string Name);

/// <summary>
/// The action an audit entry names, from the route routing chose, never from the URL the client
/// sent: the route's literal segments joined by dots, then a verb. <c>POST /v2/control-planes</c> is
/// <c>control-planes.create</c>; under a control plane its own segments are dropped, so
/// <c>PUT /v2/control-planes/{id}/core-entities/services/{serviceId}</c> is
/// <c>core-entities.services.replace</c>. The verb is the method's (create, replace, update, delete;
/// list or get for a refused read), or a route's own last segment when it is one (<c>group-memberships.add</c>).
/// An endpoint can name its action with <see cref="Audited{TBuilder}"/>.
/// </summary>
internal static class AuditActions
{
    private static readonly HashSet<string> s_verbSegments = new(StringComparer.Ordinal) { "add", "remove", "generate", "validate", "revoke" };

    public static TBuilder Audited<TBuilder>(this TBuilder builder, string action) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AuditedAction(action));

    public static string Of(HttpContext context)
    {
        var method = context.Request.Method;
        var endpoint = context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<AuditedAction>() is { } named)
        {
            return named.Name;
        }
        if (endpoint is not RouteEndpoint route || endpoint.Metadata.GetMetadata<UnmatchedRoute>() is not null)
        {
            return "unmatched." + method.ToLowerInvariant();
        }
        return FromRoute(method, [.. route.RoutePattern.PathSegments.Select(Literal)]);
    }

    /// <summary>The action of <paramref name="method"/> on a route whose segments are these literals (null for a parameter).</summary>
    public static string FromRoute(string method, IReadOnlyList<string?> segments)
    {
        var rest = segments.SkipWhile(s => s is "v2" or "v3").ToList();
        if (rest is ["control-planes", null, _, ..])
        {
            rest = rest[2..];
        }
        var item = rest.Count > 0 && rest[^1] is null;
        string verb;
        if (HttpMethods.IsPost(method) && rest is [.., { } last] && s_verbSegments.Contains(last))
        {
            verb = last;
            rest = rest[..^1];
        }
        else
        {
            verb = method.ToUpperInvariant() switch
            {
                "POST" => "create",
                "PUT" => "replace",
                "PATCH" => "update",
                "DELETE" => "delete",
                "GET" or "HEAD" => item ? "get" : "list",
                _ => method.ToLowerInvariant(),
            };
        }
        var names = rest.OfType<string>().ToList();
        return names.Count == 0 ? verb : string.Join('.', names) + "." + verb;
    }

    private static string? Literal(RoutePatternPathSegment segment) =>
        segment.Parts is [RoutePatternLiteralPart literal] ? literal.Content : null;
}
