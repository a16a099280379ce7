using Azure.Data.Tables;
using Azure.Data.Tables.Models;

namespace Gatehouse.Azure.Tables;

/// <summary>How an entity-group transaction guarded by what its writer read came out.</summary>
internal enum GuardedOutcome
{
    Committed,

    /// <summary>A row it names by ETag changed or went since it was read: nothing was written; read again.</summary>
    Stale,

    /// <summary>A row it adds exists already (a name, a thumbprint someone else holds): nothing was written.</summary>
    Taken,
}

/// <summary>
/// Entity-group transactions whose rows are guarded: updated or deleted only as they were read (by
/// ETag), added only where none is. The service refuses the whole transaction at the first guard
/// that fails; this says which: 412 is a changed row, 404 one removed since it was read (a missing
/// table is not that, and is thrown), EntityAlreadyExists a key taken. Anything else is thrown.
/// </summary>
internal static class GuardedTransaction
{
    public static async Task<GuardedOutcome> SubmitGuardedAsync(
        this TableClient table, IEnumerable<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        try
        {
            await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            return GuardedOutcome.Committed;
        }
        catch (TableTransactionFailedException e) when (e.Status == 412 || (e.Status == 404 && e.ErrorCode != TableErrorCode.TableNotFound))
        {
            return GuardedOutcome.Stale;
        }
        catch (TableTransactionFailedException e) when (e.ErrorCode == TableErrorCode.EntityAlreadyExists)
        {
            return GuardedOutcome.Taken;
        }
    }
}
