using System.Text.Json;
using Gatehouse.Core.Entities;

namespace Gatehouse.Functions.Http;

/// <summary>
/// Konnect's core-entities error dialect (gRPC-gateway style, as Koko wrote it):
/// <c>{"code":3,"message":"validation error","details":[{"@type":…,"type":"ERROR_TYPE_FIELD","field":"host","messages":[…]}]}</c>.
/// </summary>
internal static class KongErrors
{
    private const string DetailType = "type.googleapis.com/kong.admin.model.v1.ErrorDetail";

    public static (int Status, int Code) StatusOf(Rejection kind) => kind switch
    {
        Rejection.Invalid => (400, 3),
        Rejection.Reference => (400, 3),
        Rejection.Conflict => (409, 6),
        Rejection.NotFound => (404, 5),
        Rejection.InUse => (400, 9),
        Rejection.ReadOnly => (400, 9),
        Rejection.Unavailable => (503, 14),
        _ => (500, 13),
    };

    /// <summary>The gRPC code Koko answers with an HTTP status.</summary>
    public static int CodeOf(int status) => status switch { 400 => 3, 403 => 7, 404 => 5, 405 => 12, 409 => 6, 413 => 8, 503 => 14, _ => 13 };

    public static Task WriteAsync(HttpContext context, int status, int code, string message, IEnumerable<FieldError>? errors = null, string detailType = "ERROR_TYPE_FIELD")
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var body = new Dictionary<string, object?> { ["code"] = code, ["message"] = message };
        var details = errors?
            .GroupBy(e => e.Path)
            .Select(g => g.Key is null
                ? new Dictionary<string, object?> { ["@type"] = DetailType, ["type"] = "ERROR_TYPE_ENTITY", ["messages"] = g.Select(e => e.Message).ToList() }
                : new Dictionary<string, object?> { ["@type"] = DetailType, ["type"] = detailType, ["field"] = g.Key, ["messages"] = g.Select(e => e.Message).ToList() })
            .ToList();
        if (details is { Count: > 0 })
        {
            body["details"] = details;
        }
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, ApiJson.Options), context.RequestAborted);
    }

    public static Task WriteRejectionAsync(HttpContext context, EntityRejectedException rejection)
    {
        var (status, code) = StatusOf(rejection.Kind);
        var message = rejection.Kind == Rejection.Invalid && rejection.Errors.Count > 0 && rejection.Message.Contains("schema violation", StringComparison.Ordinal)
            ? "validation error"
            : rejection.Message;
        var detailType = rejection.Kind is Rejection.Reference or Rejection.InUse ? "ERROR_TYPE_REFERENCE" : "ERROR_TYPE_FIELD";
        return WriteAsync(context, status, code, message, rejection.Errors, detailType);
    }
}
