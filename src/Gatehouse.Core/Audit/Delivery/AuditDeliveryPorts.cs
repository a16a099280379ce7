namespace Gatehouse.Core.Audit.Delivery;

/// <summary>Audit log destinations, the webhook's configuration and each target's delivery cursor.</summary>
public interface IAuditDeliveryStore
{
    Task<AuditDestination?> GetDestinationAsync(Guid id, CancellationToken cancellationToken);

    Task<IReadOnlyList<AuditDestination>> ListDestinationsAsync(CancellationToken cancellationToken);

    Task PutDestinationAsync(AuditDestination destination, CancellationToken cancellationToken);

    /// <summary>False when there was none.</summary>
    Task<bool> DeleteDestinationAsync(Guid id, CancellationToken cancellationToken);

    Task<AuditWebhook> GetWebhookAsync(CancellationToken cancellationToken);

    Task PutWebhookAsync(AuditWebhook webhook, CancellationToken cancellationToken);

    Task<AuditDeliveryState?> GetStateAsync(string targetKey, CancellationToken cancellationToken);

    /// <summary>
    /// Saves <paramref name="state"/> if the stored one is still the one read (its <see cref="AuditDeliveryState.Version"/>;
    /// null: none stored yet). False when another deliverer moved it meanwhile.
    /// </summary>
    Task<bool> TryPutStateAsync(string targetKey, AuditDeliveryState state, CancellationToken cancellationToken);
}

/// <summary>The ED25519 key pair audit entries are signed with: made once, then kept.</summary>
public interface IAuditSigningKeyStore
{
    /// <summary>The 32-byte private key (RFC 8032 seed), made and kept on first use; every instance gets the same one.</summary>
    Task<byte[]> GetOrCreateAsync(Func<byte[]> create, CancellationToken cancellationToken);
}

/// <summary>Reads the audit log in the order it is delivered.</summary>
public interface IAuditFeed
{
    /// <summary>
    /// Recorded entries listed after <paramref name="after"/> (by <see cref="AuditEntry.Listed"/>, then id)
    /// and before <paramref name="before"/>, in the order they were listed. An entry listed late (a long
    /// request's, or one the sweep found interrupted) comes after the cursor, not behind it.
    /// </summary>
    Task<IReadOnlyList<AuditEntry>> ListOldestFirstAsync(AuditCursor after, DateTimeOffset before, int max, CancellationToken cancellationToken);
}
