using Microsoft.AspNetCore.Routing.Template;

namespace Gatehouse.Functions.Http;

/// <summary>
/// What a route group answers for a request under its prefix that none of the app's routes take:
/// 405 with <c>Allow</c> when other methods are routed at that path, else 404, in the group's error
/// dialect. It is an endpoint (a fallback, tried after every route, the most specific group's
/// first) rather than routing's own empty 404 and 405, so that such a request carries the group's
/// metadata through the middleware before it too: refused for want of a token, say, in the
/// group's dialect.
/// </summary>
internal static class UnmatchedRoutes
{
    public static RouteGroupBuilder MapUnmatched(this RouteGroupBuilder group)
    {
        // Built on the first unmatched request, when every endpoint of the app is mapped.
        var services = ((IEndpointRouteBuilder)group).ServiceProvider;
        var routed = new Lazy<RoutedMethods>(() => new RoutedMethods(services.GetRequiredService<EndpointDataSource>().Endpoints));
        group.MapFallback("{**path}", context => AnswerAsync(context, routed.Value))
            .WithMetadata(UnmatchedRoute.Instance)
            .ExcludeFromDescription();
        return group;
    }

    private static Task AnswerAsync(HttpContext context, RoutedMethods routed)
    {
        var dialect = ErrorDialect.Of(context);
        var allowed = routed.At(context.Request.Path);
        if (allowed.Count == 0)
        {
            return dialect.WriteAsync(context, StatusCodes.Status404NotFound, "Not found");
        }
        context.Response.Headers.Allow = string.Join(", ", allowed);
        return dialect.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, "Method not allowed");
    }

    /// <summary>The methods the app's routes take at a path, whichever group they are in.</summary>
    private sealed class RoutedMethods(IEnumerable<Endpoint> endpoints)
    {
        private readonly (TemplateMatcher Matcher, IReadOnlyList<string> Methods)[] _routes = endpoints
            .OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.Metadata.GetMetadata<UnmatchedRoute>() is null)
            .Select(endpoint => (
                new TemplateMatcher(new RouteTemplate(endpoint.RoutePattern), new RouteValueDictionary()),
                endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []))
            .ToArray();

        public IReadOnlyList<string> At(PathString path) =>
            _routes.Where(route => route.Matcher.TryMatch(path, [])).SelectMany(route => route.Methods).Distinct().ToList();
    }
}

/// <summary>Marks the fallback endpoints of <see cref="UnmatchedRoutes"/>: no route of the API.</summary>
internal sealed class UnmatchedRoute
{
    public static readonly UnmatchedRoute Instance = new();

    private UnmatchedRoute()
    {
    }
}
