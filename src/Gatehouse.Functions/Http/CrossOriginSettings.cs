using Microsoft.AspNetCore.Cors.Infrastructure;

namespace Gatehouse.Functions.Http;

/// <summary>
/// Which other origins' pages may call the management API from a browser:
/// <c>Gatehouse__Cors__AllowedOrigins</c>, exact origins (<c>https://portal.example.com</c>),
/// comma-separated or as an array (<c>__AllowedOrigins__0</c>, <c>__1</c>…). Unset, none: the
/// console is served from the app's own origin and needs no CORS. Checked at start.
/// </summary>
internal static class CrossOriginSettings
{
    public const string PolicyName = "Gatehouse management API";

    /// <summary>What a browser client reads from our answers besides the CORS-safelisted headers.</summary>
    private static readonly string[] s_exposed = ["ETag", "Location", "Retry-After", "WWW-Authenticate"];

    public static IServiceCollection AddGatehouseCrossOrigin(this IServiceCollection services, IConfiguration configuration)
    {
        var origins = Read(configuration);
        services.AddCors(cors => cors.AddPolicy(PolicyName, policy => Build(policy, origins)));
        return services;
    }

    public static IReadOnlyList<string> Read(IConfiguration configuration)
    {
        var section = configuration.GetSection("Gatehouse:Cors:AllowedOrigins");
        var given = (section.Value is { Length: > 0 } list ? list.Split(',') : section.GetChildren().Select(c => c.Value ?? ""))
            .Select(o => o.Trim()).Where(o => o.Length > 0);
        var origins = new List<string>();
        foreach (var origin in given)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
                || uri.GetLeftPart(UriPartial.Authority) != origin.TrimEnd('/') || origin.EndsWith('/'))
            {
                throw new InvalidOperationException(
                    $"Gatehouse__Cors__AllowedOrigins must list exact origins such as https://portal.example.com (scheme, host, optional port; no path, no wildcard); '{origin}' is not one.");
            }
            origins.Add(uri.GetLeftPart(UriPartial.Authority));
        }
        return origins;
    }

    private static void Build(CorsPolicyBuilder policy, IReadOnlyList<string> origins)
    {
        policy.WithOrigins([.. origins])
            .WithMethods(HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete)
            .WithHeaders("Authorization", "Content-Type", "If-None-Match", "If-Match")
            .WithExposedHeaders(s_exposed)
            // Tokens travel in Authorization, never in cookies: no credentials mode.
            .DisallowCredentials()
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10));
    }
}
