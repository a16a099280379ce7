using System.Text.Json;
using Gatehouse.Core.Validation;

namespace Gatehouse.Functions.Http;

/// <summary>
/// The dialect of Konnect's older control plane endpoints (DP client certificates, nodes), which
/// the data plane API (<c>/v1/dp</c>) speaks too:
/// <c>{"message": "..."}</c> as <c>application/json</c> (the spec's KonnectCPLegacy*Error). With
/// one field only, a refusal names its fields inside the message.
/// </summary>
internal static class LegacyErrors
{
    public static Task WriteAsync(HttpContext context, int status, string message, IReadOnlyList<InvalidParameter>? parameters = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        if (parameters is { Count: > 0 })
        {
            message = $"{message} {string.Join("; ", parameters.Distinct().Select(p => $"{p.Field}: {p.Reason}"))}";
        }
        return context.Response.WriteAsync(JsonSerializer.Serialize(new { message }, ApiJson.Options), context.RequestAborted);
    }
}
