namespace Gatehouse.Sidecar.Hub;

/// <summary>
/// Where to connect: what <c>POST /v1/dp/negotiate</c> answered. The token is withheld from
/// <see cref="ToString"/> so that logging the record never leaks it.
/// </summary>
internal sealed record HubEndpoint(Uri Url, string AccessToken)
{
    public override string ToString() => $"HubEndpoint {{ Url = {Url}, AccessToken = (withheld) }}";
}
