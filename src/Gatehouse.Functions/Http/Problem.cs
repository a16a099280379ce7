using System.Diagnostics;
using System.Text.Json;
using Gatehouse.Core.Validation;
using Microsoft.AspNetCore.WebUtilities;

namespace Gatehouse.Functions.Http;

/// <summary>
/// Konnect's platform error dialect (control planes, groups): RFC 7807 problem+json with
/// <c>instance</c> carrying the trace id and, for 400s, <c>invalid_parameters</c>.
/// </summary>
internal static class Problem
{
    public const string ContentType = "application/problem+json";

    public static Task WriteAsync(
        HttpContext context, int status, string detail, IReadOnlyList<InvalidParameter>? invalidParameters = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = ContentType;
        var body = new Dictionary<string, object?>
        {
            ["status"] = status,
            ["title"] = ReasonPhrases.GetReasonPhrase(status),
            ["type"] = $"https://httpstatuses.com/{status}",
            ["instance"] = $"gatehouse:trace:{TraceId(context)}",
            ["detail"] = detail,
        };
        if (status == StatusCodes.Status400BadRequest)
        {
            // The spec requires the list on every 400, and at least one item in it.
            body["invalid_parameters"] = (invalidParameters is { Count: > 0 } ? invalidParameters : [new InvalidParameter("request", detail, "invalid")])
                .Distinct()
                .Select(Item)
                .ToList();
        }
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, ApiJson.Options), context.RequestAborted);
    }

    public static string TraceId(HttpContext context) => Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;

    private static Dictionary<string, object> Item(InvalidParameter parameter)
    {
        var item = new Dictionary<string, object> { ["field"] = parameter.Field };
        if (parameter.Rule is not null)
        {
            item["rule"] = parameter.Rule;
        }
        if (parameter.Minimum is { } minimum)
        {
            item["minimum"] = minimum;
        }
        if (parameter.Maximum is { } maximum)
        {
            item["maximum"] = maximum;
        }
        if (parameter.Choices is { } choices)
        {
            item["choices"] = choices;
        }
        item["reason"] = parameter.Reason;
        return item;
    }
}
