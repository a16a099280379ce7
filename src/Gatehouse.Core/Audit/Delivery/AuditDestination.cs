namespace Gatehouse.Core.Audit.Delivery;

/// <summary>
/// Where audit entries may be sent (Konnect's <c>/v2/audit-log-destinations</c>): an HTTPS endpoint,
/// the value of the <c>Authorization</c> header to send it (a secret: kept, never shown), and the
/// format of each entry, <c>json</c> or <c>cef</c>.
/// </summary>
public sealed record AuditDestination(
    Guid Id, string Name, string Endpoint, string Authorization, string LogFormat, bool SkipSslVerification,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public AuditTarget Target => new(Id.ToString("D"), Endpoint, Authorization, LogFormat, SkipSslVerification);
}

/// <summary>
/// The organization's audit log webhook (Konnect's <c>/v2/audit-log-webhook</c>): whether entries are
/// sent, and where — a destination by id (<see cref="DestinationId"/>, as Konnect's v3 webhook names
/// one), or an endpoint of its own (as Konnect's v2 webhook carries).
/// </summary>
public sealed record AuditWebhook(
    bool Enabled, Guid? DestinationId, string? Endpoint, string? Authorization, string LogFormat, bool SkipSslVerification, DateTimeOffset UpdatedAt)
{
    /// <summary>The webhook's own endpoint is delivered to under this key; a destination's under its id.</summary>
    public const string OwnEndpointKey = "webhook";

    public static readonly AuditWebhook Unconfigured = new(false, null, null, null, AuditLogFormats.Cef, false, DateTimeOffset.MinValue);
}

/// <summary>One place entries are delivered to; <see cref="Key"/> names its delivery cursor.</summary>
public sealed record AuditTarget(string Key, string Endpoint, string Authorization, string LogFormat, bool SkipSslVerification);

public static class AuditLogFormats
{
    public const string Cef = "cef";
    public const string Json = "json";

    /// <summary>Konnect's enum also has <c>cps</c>, which it does not document; Gatehouse refuses it.</summary>
    public static readonly IReadOnlyList<string> Supported = [Cef, Json];
}

/// <summary>
/// How far a target has been sent: the last entry it answered 2xx for, and, after failures, when
/// the next attempt may be made. <see cref="Version"/> is the store's concurrency token, so two
/// deliverers never move a cursor backwards.
/// </summary>
public sealed record AuditDeliveryState(AuditCursor After, int Failures, DateTimeOffset? NextAttemptAt, string? Version);
