using Gatehouse.Core.Access;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.Access;

/// <summary>
/// Every management request must carry <c>Authorization: Bearer</c> with the admin token, a system
/// account's <c>spat_</c> token or a user's <c>kpat_</c> personal access token; the principal it names is set on the request for
/// <see cref="AuthorizationMiddleware"/>. A missing, unknown, expired or revoked token is a 401.
/// Tokens are never logged. A source that keeps presenting refused tokens is turned away for a while
/// with a 429 (<see cref="FailedTokenAttempts"/>), so tokens cannot be guessed at the rate requests go.
/// </summary>
internal sealed class BearerAuthenticationMiddleware(
    RequestDelegate next, TokenAuthentication authentication, FailedTokenAttempts failures, ClientAddress client, ILogger<BearerAuthenticationMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var bearer = Bearer(context.Request.Headers.Authorization.ToString());
        var source = client.Of(context) ?? "unknown";
        if (bearer is not null && failures.BlockedFor(source) is { } wait)
        {
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            logger.LogWarning("Turned away {Method} {Path} from {Source}: too many refused tokens from there; {Seconds} s to wait", context.Request.Method, context.Request.Path, source, seconds);
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await ErrorDialect.Of(context).WriteAsync(context, StatusCodes.Status429TooManyRequests,
                $"Too many refused tokens from this address; retry after {seconds} seconds.");
            return;
        }
        var principal = bearer is not null ? await authentication.AuthenticateAsync(context, bearer) : null;
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
        if (bearer is not null)
        {
            failures.Refused(source);
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
