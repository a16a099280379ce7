using Azure;
using Azure.Data.Tables;
using Gatehouse.Azure.Storage;
using Gatehouse.Azure.Tables;
using Gatehouse.Core.ControlPlanes;

namespace Gatehouse.Azure.ControlPlanes;

/// <summary>
/// Group memberships in the control planes table's partition: a row per (group, member) and one
/// <c>memberships</c> row whose ETag every change is conditional on and whose sequence it bumps,
/// all in one transaction. So membership changes serialize, and rules that span groups (a
/// control plane in at most five) hold under concurrency.
/// </summary>
public sealed class TableGroupMembershipStore(TableServiceClient tables, StorageLayout layout) : IGroupMembershipStore
{
    private const string Partition = "cp";
    private const string LockKey = "memberships";
    private const string MemberPrefix = "member:";

    // Each changed pair is one row; the lock row is one more.
    private const int PairsPerTransaction = TableLimits.MaxTransactionActions - 1;

    private readonly TableClient _table = tables.GetTableClient(layout.ControlPlanesTable);

    // The pairs as last listed, with the lock row's ETag they were listed after. Every change
    // rewrites the lock row, so while its ETag stands the pairs stand too, and a read costs one
    // point read instead of a listing (every composition of a standard control plane asks which
    // groups it is in).
    private GroupMemberships? _listed;

    public async Task<GroupMemberships> ReadAsync(CancellationToken cancellationToken)
    {
        var lockRow = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, LockKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (lockRow is not { HasValue: true, Value: { } state })
        {
            // The first pairs are written with the lock row, in one transaction, and it is never
            // removed: without it there are none to list.
            return new GroupMemberships([], 0, null);
        }
        var version = state.ETag.ToString();
        if (Volatile.Read(ref _listed) is { } listed && listed.Version == version)
        {
            return listed;
        }
        var pairs = new List<(Guid, Guid)>();
        var filter = TableFilter.InPartitionStartingWith(Partition, MemberPrefix);
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            pairs.Add((row.GetGuid("Group")!.Value, row.GetGuid("Member")!.Value));
        }
        // Listed after the lock row was read, so the pairs are at least as new as its ETag says:
        // a change landing in between only makes the next read list them again.
        var read = new GroupMemberships(pairs, state.GetInt64("Sequence") ?? 0, version);
        Volatile.Write(ref _listed, read);
        return read;
    }

    public async Task<bool> TryChangeAsync(
        GroupMemberships read, IReadOnlyCollection<(Guid Group, Guid Member)> add, IReadOnlyCollection<(Guid Group, Guid Member)> remove,
        CancellationToken cancellationToken)
    {
        var changes = add.Select(p => (Add: true, Pair: p)).Concat(remove.Select(p => (Add: false, Pair: p))).ToList();
        var version = read.Version;
        var sequence = read.Sequence;
        // A replace of many members spans several transactions, each complete and conditional on the last.
        for (var start = 0; start == 0 || start < changes.Count; start += PairsPerTransaction)
        {
            var actions = changes.Skip(start).Take(PairsPerTransaction).Select(c => c.Add
                ? new TableTransactionAction(TableTransactionActionType.Add, Row(c.Pair))
                : new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(Partition, Key(c.Pair)))).ToList();
            var next = new TableEntity(Partition, LockKey) { ["Sequence"] = ++sequence };
            actions.Add(version is null
                ? new TableTransactionAction(TableTransactionActionType.Add, next)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, next, new ETag(version)));
            try
            {
                var result = await _table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                version = result.Value[^1].Headers.ETag?.ToString()
                    ?? throw new InvalidOperationException("The Table service answered a membership change without the new ETag of its lock row.");
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412 or 404)
            {
                return false;
            }
        }
        return true;
    }

    private static TableEntity Row((Guid Group, Guid Member) pair) =>
        new(Partition, Key(pair)) { ["Group"] = pair.Group, ["Member"] = pair.Member };

    private static string Key((Guid Group, Guid Member) pair) => $"{MemberPrefix}{pair.Group}:{pair.Member}";
}
