using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Gatehouse.Functions.WebConsole;

/// <summary>
/// The web console (console/, built by Vite) served at <c>/</c> from <c>console/</c> beside the app's
/// assembly, where the build and <c>dotnet publish</c> copy it. Client-side routes (<c>/control-planes/…</c>)
/// answer with index.html; the API's prefixes never do, so their 404s stay in their own dialect.
/// Without a built console the root still answers, for the Functions host's readiness probe.
/// </summary>
internal static class ConsoleAssets
{
    public const string FolderName = "console";

    /// <summary>Prefixes that belong to the API and its documentation, never to the console.</summary>
    private static readonly string[] s_apiPrefixes = ["/v1", "/v2", "/v3", "/docs", "/healthz", "/openapi", "/api"];

    /// <summary>Where Vite writes the files it names by their content's hash.</summary>
    private static readonly PathString s_assets = "/assets";

    public static WebApplication MapWebConsole(this WebApplication app)
    {
        app.MapConsoleSettings();
        var folder = Path.Combine(AppContext.BaseDirectory, FolderName);
        var index = Path.Combine(folder, "index.html");
        if (!File.Exists(index))
        {
            app.Logger.LogInformation("No web console in {Folder}: build it with ./dev.sh up (console/)", folder);
            app.MapGet("/", () => Results.Ok(new { name = "gatehouse" })).ExcludeFromDescription();
            return app;
        }

        var files = new PhysicalFileProvider(folder);
        app.UsePrecompressedAssets(files, s_assets);
        // Vite names every asset by its content's hash: they may be cached for good. index.html may not.
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            ContentTypeProvider = PrecompressedAssets.ContentTypes,
            OnPrepareResponse = context =>
            {
                context.Context.Response.Headers.CacheControl =
                    context.Context.Request.Path.StartsWithSegments(s_assets) ? "public, max-age=31536000, immutable" : "no-cache";
                PrecompressedAssets.MarkEncoding(context);
            },
        });
        app.MapGet("/", (HttpContext context) => IndexAsync(context, index)).ExcludeFromDescription().WithMetadata(WebConsolePage.Instance);
        // A fallback (tried after every route) whose constraint leaves the API's paths and file names
        // unmatched, so that those requests reach no endpoint, exactly as before the console.
        var pattern = RoutePatternFactory.Parse("{**path}", defaults: null, parameterPolicies: new RouteValueDictionary { ["path"] = new ConsolePage() });
        app.Map(pattern, context => HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
                ? IndexAsync(context, index)
                : NotFoundAsync(context))
            .ExcludeFromDescription()
            .WithMetadata(WebConsolePage.Instance)
            .Add(endpoint => ((RouteEndpointBuilder)endpoint).Order = int.MaxValue);
        return app;
    }

    /// <summary>Matches the console's client routes: not the API's prefixes, not a file name.</summary>
    private sealed class ConsolePage : IRouteConstraint
    {
        public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection)
        {
            var path = httpContext?.Request.Path ?? PathString.Empty;
            if (s_apiPrefixes.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase)))
            {
                return false;
            }
            var last = path.Value?[(path.Value.LastIndexOf('/') + 1)..] ?? "";
            return !last.Contains('.', StringComparison.Ordinal);
        }
    }

    private static Task IndexAsync(HttpContext context, string index)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers[HeaderNames.CacheControl] = "no-cache";
        return context.Response.SendFileAsync(index, context.RequestAborted);
    }

    // A write to a console page: nothing takes it.
    private static Task NotFoundAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }
}

/// <summary>Marks the console's endpoints: pages of the web console, no part of the API.</summary>
internal sealed class WebConsolePage
{
    public static readonly WebConsolePage Instance = new();

    private WebConsolePage()
    {
    }
}
