using Gatehouse.Core.DataPlanes.Push;
using Microsoft.AspNetCore.SignalR;

namespace Gatehouse.Functions.DataPlanes.Push;

/// <summary>
/// The in-process hub sidecars listen on when Gatehouse runs on its own (not behind Azure
/// SignalR Service). A connection joins its control plane's group, named by its token; it has no
/// methods to invoke, so clients only listen, as with Azure SignalR Service in serverless mode.
/// </summary>
internal sealed class LocalDataPlaneHub : Hub
{
    public const string Path = "/v1/dp/hub";

    public override async Task OnConnectedAsync()
    {
        // The authorization policy lets in only validated tokens, which always carry the control plane.
        var controlPlane = Guid.Parse(Context.User!.FindFirst(LocalHubTokens.ControlPlaneClaim)!.Value);
        await Groups.AddToGroupAsync(Context.ConnectionId, DataPlaneHub.GroupOf(controlPlane), Context.ConnectionAborted);
        await base.OnConnectedAsync();
    }
}
