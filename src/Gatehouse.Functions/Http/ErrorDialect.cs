using Gatehouse.Core.Entities;
using Gatehouse.Core.Validation;

namespace Gatehouse.Functions.Http;

/// <summary>
/// Which of Konnect's error dialects an endpoint family answers in. Set on the route group
/// (<see cref="ErrorDialects.WithErrorDialect"/>) and read from the endpoint routing matched, so
/// every writer of an error (the error middleware, the admin token check, storage readiness,
/// unmatched routes) answers alike without looking at the URL.
/// </summary>
internal sealed class ErrorDialect
{
    /// <summary>Konnect's platform dialect (control planes, groups, declarative config): RFC 7807 problem+json.</summary>
    public static readonly ErrorDialect Problem = new(Kind.Problem);

    /// <summary>The core-entities dialect: <c>{"code","message","details"}</c>.</summary>
    public static readonly ErrorDialect Kong = new(Kind.Kong);

    /// <summary>Konnect's older endpoints (DP client certificates, nodes) and the data plane API: <c>{"message"}</c>.</summary>
    public static readonly ErrorDialect Legacy = new(Kind.Legacy);

    private readonly Kind _kind;

    private ErrorDialect(Kind kind) => _kind = kind;

    private enum Kind
    {
        Problem,
        Kong,
        Legacy,
    }

    /// <summary>The dialect of the endpoint the request was routed to; the platform's when routing found none.</summary>
    public static ErrorDialect Of(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<ErrorDialect>() ?? Problem;

    public Task WriteAsync(HttpContext context, int status, string message, IReadOnlyList<InvalidParameter>? parameters = null) => _kind switch
    {
        Kind.Legacy => LegacyErrors.WriteAsync(context, status, message, parameters),
        Kind.Kong => KongErrors.WriteAsync(context, status, KongErrors.CodeOf(status), message, parameters?.Select(p => new FieldError(p.Field, p.Reason))),
        _ => Http.Problem.WriteAsync(context, status, message, parameters),
    };

    /// <summary>The answer to a request without the credentials its endpoint requires.</summary>
    public Task WriteUnauthorizedAsync(HttpContext context)
    {
        switch (_kind)
        {
            case Kind.Legacy:
                return LegacyErrors.WriteAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized");
            case Kind.Kong:
                // The core-entities spec's HTTP401Error: {"message","status"}.
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return context.Response.WriteAsJsonAsync(new { message = "Unauthorized", status = 401 }, context.RequestAborted);
            default:
                return Http.Problem.WriteAsync(context, StatusCodes.Status401Unauthorized, "A valid token is required");
        }
    }

    public override string ToString() => _kind.ToString();
}

internal static class ErrorDialects
{
    /// <summary>Errors of these endpoints (a route group's, usually) are answered in <paramref name="dialect"/>.</summary>
    public static TBuilder WithErrorDialect<TBuilder>(this TBuilder builder, ErrorDialect dialect) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(dialect);
}
