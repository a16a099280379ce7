using Gatehouse.Core.Validation;

namespace Gatehouse.Core.ControlPlanes;

/// <summary>
/// A request that names a control plane needs it to exist: Konnect's 404 for one that does not
/// ("The requested control plane was not found.", naming which), worded once for every API.
/// </summary>
public static class ExistingControlPlane
{
    public static NotFoundException NotFound(Guid id) => new($"The requested control plane ({id}) was not found.");

    /// <summary>The control plane with this id, or <see cref="NotFound"/>.</summary>
    public static async Task<ControlPlane> GetExistingAsync(this IControlPlaneStore store, Guid id, CancellationToken cancellationToken) =>
        await store.FindAsync(id, cancellationToken).ConfigureAwait(false) ?? throw NotFound(id);
}
