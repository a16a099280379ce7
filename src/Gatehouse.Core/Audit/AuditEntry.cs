namespace Gatehouse.Core.Audit;

/// <summary>
/// One audited request: a change (every POST, PUT, PATCH, DELETE under /v2 and /v3) or a refusal
/// (401 or 403, whatever the method). Konnect's entry carries the same facts (<c>rt</c>, <c>src</c>,
/// <c>principal_id</c>, <c>trace_id</c>, <c>user_agent</c>, the request's method, path and status);
/// its signature is added by whoever delivers the entry, not kept here.
/// </summary>
/// <param name="Id">Unique, made when the request arrives.</param>
/// <param name="Time">When the request arrived (Konnect's <c>rt</c>); entries sort by it.</param>
/// <param name="Principal">Who made it; <see cref="AuditPrincipal.Anonymous"/> when no token was accepted.</param>
/// <param name="Action">What it asked for, from the route: <c>core-entities.services.create</c>.</param>
/// <param name="ControlPlaneId">The control plane the route names, if it names one.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Target">The request's path, without its query, tokens redacted.</param>
/// <param name="Status">The answer's status; null when the process stopped before it answered (see <see cref="Interrupted"/>).</param>
/// <param name="RequestId">The server's id of the request (ASP.NET Core's TraceIdentifier).</param>
/// <param name="TraceId">The W3C trace id, the one error bodies name in <c>instance</c>.</param>
/// <param name="SourceIp">The client's address (Konnect's <c>src</c>).</param>
/// <param name="UserAgent">The client's User-Agent, tokens redacted.</param>
public sealed record AuditEntry(
    Guid Id, DateTimeOffset Time, AuditPrincipal Principal, string Action, Guid? ControlPlaneId, string Method, string Target,
    int? Status, string RequestId, string TraceId, string? SourceIp, string? UserAgent)
{
    /// <summary>
    /// When the entry was listed in the log (null until it is): the delivery feed's order. It is when
    /// the request was answered, or, for one whose process stopped before that, when the sweep found
    /// it; so a long request's entry, or an interrupted one, comes after entries already delivered.
    /// </summary>
    public DateTimeOffset? Listed { get; init; }

    /// <summary>The change was begun and the process stopped before it answered: whether it landed is not known.</summary>
    public bool Interrupted => Status is null;

    public bool IsRefusal => Status is 401 or 403;

    /// <summary>The same entry with the answer's status.</summary>
    public AuditEntry Answered(int status) => this with { Status = status };
}

/// <summary>Who an audited request came from, as the entry records it.</summary>
/// <param name="Type"><c>organization_admin</c>, <c>system_account</c> or <c>anonymous</c>.</param>
/// <param name="Id">The principal's id; null for the organization admin and for anonymous callers.</param>
/// <param name="Name">How people know it: <c>system account 'ci'</c>.</param>
public sealed record AuditPrincipal(string Type, string? Id, string Name)
{
    public static readonly AuditPrincipal Anonymous = new("anonymous", null, "an unauthenticated caller");
}
