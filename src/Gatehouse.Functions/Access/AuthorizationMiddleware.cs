using Gatehouse.Core.Access;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.Access;

/// <summary>
/// The access decision for every management request, made from the principal and the
/// <see cref="AccessRequirement"/> of the endpoint routing chose (never from the URL), with
/// <see cref="Permissions"/> saying what roles grant. A refusal is a 403 in the endpoint's error
/// dialect naming what is missing.
/// </summary>
internal sealed class AuthorizationMiddleware(RequestDelegate next, ILogger<AuthorizationMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var principal = context.Principal();
        if (principal.IsOrganizationAdmin || context.GetEndpoint()?.Metadata.GetMetadata<UnmatchedRoute>() is not null)
        {
            // Unmatched routes answer 404 or 405 and touch nothing.
            await next(context);
            return;
        }
        if (Refusal(context, principal) is { } missing)
        {
            logger.LogWarning("Refused {Method} {Path} to {Principal}: {Missing}", context.Request.Method, context.Request.Path, principal.Description, missing);
            await ErrorDialect.Of(context).WriteAsync(context, StatusCodes.Status403Forbidden, $"{principal.Description} lacks {missing}");
            return;
        }
        await next(context);
    }

    /// <summary>What the principal lacks for this request; null when it may go on.</summary>
    private static string? Refusal(HttpContext context, Principal principal)
    {
        var requirement = AccessRequirements.Of(context.GetEndpoint());
        switch (requirement.Requires)
        {
            case AccessRequirement.Kind.FilteredByEndpoint:
                return null;
            case AccessRequirement.Kind.Creator:
                return Permissions.MayCreateControlPlanes(principal) ? null : $"{ControlPlaneRoles.Creator} on control planes";
            case AccessRequirement.Kind.ControlPlaneRole:
                var controlPlaneId = context.Request.RouteValues[AccessRequirement.ControlPlaneRouteValue]?.ToString() ?? "";
                var action = requirement.OnlyReads || HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
                    ? ControlPlaneAction.Read
                    : ControlPlaneAction.Write;
                return Permissions.Missing(principal, action, controlPlaneId, requirement.Resource) is { } roles ? $"{roles} on control plane {controlPlaneId}" : null;
            default:
                return "organization admin (only the admin token may call this endpoint)";
        }
    }
}
