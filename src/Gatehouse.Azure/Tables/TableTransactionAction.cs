using Azure;

namespace Gatehouse.Azure.Tables;

public enum TableTransactionActionType
{
    Add,
    UpdateMerge,
    UpdateReplace,
    Delete,
    UpsertMerge,
    UpsertReplace,
}

/// <summary>
/// One operation of an entity-group transaction. Updates and deletes are conditional on
/// <see cref="ETag"/> (the entity's own when none is given, <c>*</c> when it has none).
/// </summary>
public sealed record TableTransactionAction(TableTransactionActionType ActionType, TableEntity Entity, ETag ETag = default)
{
    internal ETag IfMatch => ETag != default ? ETag : Entity.ETag != default ? Entity.ETag : ETag.All;
}

/// <summary>What the service answered for one operation of a committed transaction.</summary>
public sealed record TableTransactionResult(int Status, ETag ETag);

/// <summary>
/// A transaction was refused: nothing in it was written. <see cref="FailedTransactionActionIndex"/>
/// is the position of the operation the service blamed, when it said.
/// </summary>
public sealed class TableTransactionFailedException : RequestFailedException
{
    public TableTransactionFailedException(int status, string message, string? errorCode, int? failedTransactionActionIndex)
        : base(status, message, errorCode, null)
    {
        FailedTransactionActionIndex = failedTransactionActionIndex;
    }

    public int? FailedTransactionActionIndex { get; }
}
