using System.Globalization;
using Gatehouse.Core.Audit;

namespace Gatehouse.Functions.Audit;

/// <summary>
/// An entry on the wire, in Konnect's audit log names where it has them (<c>rt</c>, <c>src</c>,
/// <c>principal_id</c>, <c>trace_id</c>, <c>user_agent</c>, <c>kong_initiated</c>, the request's
/// method, path and status). Webhook delivery will send this same shape, adding the signature.
/// </summary>
internal static class AuditJson
{
    public static Dictionary<string, object?> Write(AuditEntry entry) => new()
    {
        ["id"] = entry.Id,
        // Full precision, so an entry's rt copied into filter[rt] selects it.
        ["rt"] = entry.Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture),
        ["principal_id"] = entry.Principal.Id,
        ["principal_type"] = entry.Principal.Type,
        ["principal_name"] = entry.Principal.Name,
        ["kong_initiated"] = false,
        ["action"] = entry.Action,
        ["control_plane_id"] = entry.ControlPlaneId,
        ["request"] = new Dictionary<string, object?> { ["method"] = entry.Method, ["path"] = entry.Target, ["status"] = entry.Status },
        ["result"] = entry.Interrupted ? "interrupted" : entry.IsRefusal ? "refused" : entry.Status < 400 ? "success" : "failure",
        ["request_id"] = entry.RequestId,
        ["trace_id"] = entry.TraceId,
        ["src"] = entry.SourceIp,
        ["user_agent"] = entry.UserAgent,
    };
}
