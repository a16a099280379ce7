using System.Text.Json;

namespace Gatehouse.Sidecar.Hub;

/// <summary>
/// Reads the argument of a <c>configUpdated</c> invocation: one object,
/// <c>{"control_plane_id": "&lt;uuid&gt;", "config_hash": "&lt;hash&gt;"}</c>, as both notifiers send it
/// (the Core <c>ConfigUpdated</c> record, snake_case). Further properties are ignored, for a newer control plane.
/// </summary>
internal static class ConfigUpdatedArgument
{
    public const string Target = "configUpdated";

    public static bool TryRead(JsonElement body, out ConfigUpdated? update)
    {
        update = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            return false;
        }
        if (!body.TryGetProperty("control_plane_id", out var id) || id.ValueKind != JsonValueKind.String || !Guid.TryParse(id.GetString(), out var controlPlane))
        {
            return false;
        }
        if (!body.TryGetProperty("config_hash", out var hash) || hash.ValueKind != JsonValueKind.String || hash.GetString() is not { Length: > 0 } configHash)
        {
            return false;
        }
        update = new ConfigUpdated(controlPlane, configHash);
        return true;
    }
}
