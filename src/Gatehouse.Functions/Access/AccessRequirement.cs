using Gatehouse.Core.Access;

namespace Gatehouse.Functions.Access;

/// <summary>
/// What a principal must hold to call an endpoint, set on the route group (or the route) and read
/// by <see cref="AuthorizationMiddleware"/>, the one place the decision is made. An endpoint without
/// a requirement is open to the organization admin alone: forgetting one refuses, it never grants.
/// </summary>
internal sealed class AccessRequirement
{
    /// <summary>The route's control plane (<c>{controlPlaneId}</c>) as a whole: Viewer or Admin to read it, Admin to change it.</summary>
    public static readonly AccessRequirement ControlPlaneRole = new(Kind.ControlPlaneRole, ControlPlaneResource.Whole);

    /// <summary>
    /// Reading the route's control plane itself, or Kong's schemas for it: any role on it, whatever
    /// the method (schema validation is a POST that stores nothing).
    /// </summary>
    public static readonly AccessRequirement ReadsControlPlane = new(Kind.ControlPlaneRole, ControlPlaneResource.Itself, onlyReads: true);

    /// <summary>The route's control plane's custom plugin schemas.</summary>
    public static readonly AccessRequirement CustomPlugins = new(Kind.ControlPlaneRole, ControlPlaneResource.CustomPlugins);

    /// <summary>The core entities of <paramref name="collection"/> on the route's control plane, under <paramref name="parent"/> when the path nests them.</summary>
    public static AccessRequirement ControlPlaneEntity(string collection, string? parent = null) =>
        new(Kind.ControlPlaneRole, ControlPlaneResource.Entities(collection, parent));

    /// <summary>Creating control planes: Creator.</summary>
    public static readonly AccessRequirement Creator = new(Kind.Creator);

    /// <summary>Any authenticated principal; the endpoint answers only with what the principal may see.</summary>
    public static readonly AccessRequirement FilteredByEndpoint = new(Kind.FilteredByEndpoint);

    /// <summary>The organization admin (the admin token) alone.</summary>
    public static readonly AccessRequirement OrganizationAdmin = new(Kind.OrganizationAdmin);

    /// <summary>The route value naming the control plane a <see cref="ControlPlaneRole"/> requirement is about.</summary>
    public const string ControlPlaneRouteValue = "controlPlaneId";

    private AccessRequirement(Kind kind, ControlPlaneResource? resource = null, bool onlyReads = false)
    {
        Requires = kind;
        Resource = resource;
        OnlyReads = onlyReads;
    }

    public enum Kind
    {
        ControlPlaneRole,
        Creator,
        FilteredByEndpoint,
        OrganizationAdmin,
    }

    public Kind Requires { get; }

    /// <summary>With <see cref="Kind.ControlPlaneRole"/>: what on the control plane the endpoint reaches.</summary>
    public ControlPlaneResource? Resource { get; }

    /// <summary>The endpoint reads, whatever its method.</summary>
    public bool OnlyReads { get; }
}

internal static class AccessRequirements
{
    /// <summary>Callers of these endpoints must satisfy <paramref name="requirement"/>; the most specific one set wins.</summary>
    public static TBuilder RequiresAccess<TBuilder>(this TBuilder builder, AccessRequirement requirement) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(requirement);

    /// <summary>What an endpoint requires: the most specific requirement set on it, or the organization admin when none is.</summary>
    public static AccessRequirement Of(Endpoint? endpoint) => endpoint?.Metadata.GetMetadata<AccessRequirement>() ?? AccessRequirement.OrganizationAdmin;
}
