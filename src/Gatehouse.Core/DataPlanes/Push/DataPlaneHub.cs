using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Gatehouse.Core.Validation;

namespace Gatehouse.Core.DataPlanes.Push;

/// <summary>
/// The hub contract every adapter keeps, so a sidecar cannot tell which one it is connected to:
/// one hub, one group per control plane, one message. Clients only listen; they invoke nothing.
/// </summary>
public static partial class DataPlaneHub
{
    /// <summary>The hub's name (Azure SignalR Service lower-cases hub names; this one already is).</summary>
    public const string Name = "dataplane";

    /// <summary>The method name clients register a handler for.</summary>
    public const string ConfigUpdatedTarget = "configUpdated";

    /// <summary>How long a negotiated access token lets a node connect; a connection outlives it, a reconnect negotiates again.</summary>
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(1);

    /// <summary>The group a control plane's (or group's) data planes are in.</summary>
    public static string GroupOf(Guid controlPlane) => $"cp-{controlPlane:D}";

    /// <summary>
    /// The hub user a node connects as. Node ids are chosen by the sidecars, so the control plane
    /// is part of it: a node id reused under another control plane is another user, and adding it to
    /// a group (Azure SignalR's user-group API) cannot let it hear this one.
    /// </summary>
    public static string UserOf(Guid controlPlane, string nodeId) =>
        nodeId is not null && NodeId().IsMatch(nodeId)
            ? $"{controlPlane:N}.{nodeId}"
            : throw new RequestInvalidException($"'{nodeId}' is not a node id: 1 to 128 letters, digits, '.', '_', '-' or ':'.",
                [new InvalidParameter("node_id", "must be 1 to 128 letters, digits, '.', '_', '-' or ':'", "pattern")]);

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,128}$")]
    private static partial Regex NodeId();
}

/// <summary>The single argument of a <see cref="DataPlaneHub.ConfigUpdatedTarget"/> message, snake_case on the wire like the rest of the API.</summary>
public sealed record ConfigUpdated(
    [property: JsonPropertyName("control_plane_id")] Guid ControlPlaneId,
    [property: JsonPropertyName("config_hash")] string ConfigHash);
