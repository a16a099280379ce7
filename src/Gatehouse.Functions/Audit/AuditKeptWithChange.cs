using Gatehouse.Core.Audit;

namespace Gatehouse.Functions.Audit;

/// <summary>
/// Route metadata: the endpoint's changes are commits of the entity store, which keep the request's
/// audit entry in their own transaction (<see cref="AuditedChange"/>), so the request writes no outbox
/// row before it runs and records its answer after the client has it. Without it a change's entry is
/// kept in the audit log's outbox first (<see cref="IAuditLog.BeginAsync"/>).
/// </summary>
internal sealed class AuditKeptWithChange
{
    public static readonly AuditKeptWithChange Instance = new();

    private AuditKeptWithChange()
    {
    }
}

internal static class AuditKeptWithChangeExtensions
{
    public static TBuilder KeepsAuditWithChange<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(AuditKeptWithChange.Instance);
}
