namespace Gatehouse.Functions.Access;

/// <summary>
/// What a principal must hold to call an endpoint, set on the route group (or the route) and read
/// by <see cref="AuthorizationMiddleware"/>, the one place the decision is made. An endpoint without
/// a requirement is open to the organization admin alone: forgetting one refuses, it never grants.
/// </summary>
internal sealed class AccessRequirement
{
    /// <summary>The route's control plane (<c>{controlPlaneId}</c>): Viewer or Admin to read it, Admin to change it.</summary>
    public static readonly AccessRequirement ControlPlaneRole = new(Kind.ControlPlaneRole);

    /// <summary>Creating control planes: Creator.</summary>
    public static readonly AccessRequirement Creator = new(Kind.Creator);

    /// <summary>Any authenticated principal; the endpoint answers only with what the principal may see.</summary>
    public static readonly AccessRequirement FilteredByEndpoint = new(Kind.FilteredByEndpoint);

    /// <summary>The organization admin (the admin token) alone.</summary>
    public static readonly AccessRequirement OrganizationAdmin = new(Kind.OrganizationAdmin);

    /// <summary>The route value naming the control plane a <see cref="ControlPlaneRole"/> requirement is about.</summary>
    public const string ControlPlaneRouteValue = "controlPlaneId";

    private AccessRequirement(Kind kind) => Requires = kind;

    public enum Kind
    {
        ControlPlaneRole,
        Creator,
        FilteredByEndpoint,
        OrganizationAdmin,
    }

    public Kind Requires { get; }
}

internal static class AccessRequirements
{
    /// <summary>Callers of these endpoints must satisfy <paramref name="requirement"/>; the most specific one set wins.</summary>
    public static TBuilder RequiresAccess<TBuilder>(this TBuilder builder, AccessRequirement requirement) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(requirement);
}
