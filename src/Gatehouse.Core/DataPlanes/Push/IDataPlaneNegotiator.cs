namespace Gatehouse.Core.DataPlanes.Push;

/// <summary>
/// Gives a data plane node what it needs to listen on its control plane's hub group: the hub's URL
/// and a short-lived access token for it. The caller has already authenticated the node (its
/// client certificate, pinned to <c>controlPlane</c>); the token carries that control plane, so a
/// node hears only its own control plane's notifications.
/// </summary>
public interface IDataPlaneNegotiator
{
    Task<HubConnectionInfo> NegotiateAsync(Guid controlPlane, string nodeId, CancellationToken cancellationToken);
}

/// <summary>
/// The SignalR negotiate "redirect" answer: a standard SignalR client given this URL and token
/// (or handed this body by a negotiate endpoint) connects to the hub. Never logged: the token is withheld from <see cref="ToString"/>.
/// </summary>
public sealed record HubConnectionInfo(Uri Url, string AccessToken)
{
    public override string ToString() => $"HubConnectionInfo {{ Url = {Url}, AccessToken = (withheld) }}";
}
