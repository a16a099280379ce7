using Gatehouse.Core.Access;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.Access;

/// <summary>
/// Every management request must carry <c>Authorization: Bearer</c> with the admin token, a system
/// account's <c>spat_</c> token or a user's <c>kpat_</c> personal access token; the principal it names is set on the request for
/// <see cref="AuthorizationMiddleware"/>. A missing, unknown, expired or revoked token is a 401.
/// Tokens are never logged.
/// </summary>
internal sealed class BearerAuthenticationMiddleware(RequestDelegate next, TokenAuthentication authentication, ILogger<BearerAuthenticationMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var principal = Bearer(context.Request.Headers.Authorization.ToString()) is { } bearer
            ? await authentication.AuthenticateAsync(context, bearer)
            : null;
        if (principal is not null)
        {
            context.Features.Set(principal);
            await next(context);
            return;
        }
        if (context.Response.HasStarted)
        {
            return;
        }
        logger.LogWarning("Refused {Method} {Path}: missing, unknown or expired bearer token", context.Request.Method, context.Request.Path);
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await ErrorDialect.Of(context).WriteUnauthorizedAsync(context);
    }

    private static string? Bearer(string authorization)
    {
        const string scheme = "Bearer ";
        return authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? authorization[scheme.Length..].Trim() : null;
    }
}

internal static class PrincipalFeature
{
    /// <summary>The authenticated principal; only management requests have one, and they all do.</summary>
    public static Principal Principal(this HttpContext context) =>
        context.Features.Get<Principal>() ?? throw new InvalidOperationException("The request was not authenticated.");
}
