namespace Gatehouse.Azure.Tables;

/// <summary>The Table service error codes Gatehouse acts on (<c>RequestFailedException.ErrorCode</c>).</summary>
public static class TableErrorCode
{
    public const string EntityAlreadyExists = "EntityAlreadyExists";
    public const string ResourceNotFound = "ResourceNotFound";
    public const string TableAlreadyExists = "TableAlreadyExists";
    public const string TableNotFound = "TableNotFound";
    public const string TableBeingDeleted = "TableBeingDeleted";

    /// <summary>An <c>If-Match</c> ETag no longer matches: someone else wrote the entity first (HTTP 412).</summary>
    public const string UpdateConditionNotSatisfied = "UpdateConditionNotSatisfied";
}
