using Gatehouse.Core.Access;
using Gatehouse.Core.Audit;
using Gatehouse.Functions.Access;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.Audit;

/// <summary>
/// What the audit log will say about a request, gathered when it arrives (a feature of the request):
/// everything but the principal, known once it is authenticated, and the status, known once it is answered.
/// </summary>
internal sealed class AuditedRequest(Guid id, DateTimeOffset time, string action, Guid? controlPlaneId, string method, string target,
    string requestId, string traceId, string? sourceIp, string? userAgent)
{
    // Entries keep what people read, not whatever a client sends: long text is cut.
    private const int MaxText = 1024;

    /// <summary>Whether the change's entry was kept before it ran (<see cref="IAuditLog.BeginAsync"/>).</summary>
    public bool Begun { get; set; }

    /// <summary>The change's entry as its commits carry it, on routes that keep it with the change (<see cref="AuditKeptWithChange"/>).</summary>
    public AuditedChange? KeptWithChange { get; set; }

    /// <summary>POST, PUT, PATCH and DELETE: the methods that change something, audited whatever they answer.</summary>
    public bool IsChange => !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method));

    public static AuditedRequest Of(HttpContext context, AuditRedaction redaction, ClientAddress client, TimeProvider clock)
    {
        var request = context.Request;
        var controlPlane = context.GetRouteValue(AccessRequirement.ControlPlaneRouteValue) is string text && Guid.TryParse(text, out var parsed) ? parsed : (Guid?)null;
        return new AuditedRequest(
            Guid.CreateVersion7(), clock.GetUtcNow(), AuditActions.Of(context), controlPlane, request.Method,
            Cut(redaction.Clean($"{request.PathBase}{request.Path}"))!, context.TraceIdentifier, Problem.TraceId(context),
            client.Of(context), Cut(redaction.Clean(request.Headers.UserAgent.ToString()) is { Length: > 0 } agent ? agent : null));
    }

    /// <summary>The entry, naming the principal the request was authenticated as (if it was), not yet answered.</summary>
    public AuditEntry Entry(HttpContext context) => new(
        id, time, AuditPrincipals.Of(context.Features.Get<Principal>()), action, controlPlaneId, method, target, null, requestId, traceId, sourceIp, userAgent);

    private static string? Cut(string? text) => text is { Length: > MaxText } ? text[..MaxText] : text;
}
