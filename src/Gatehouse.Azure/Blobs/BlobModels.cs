using Azure;

namespace Gatehouse.Azure.Blobs;

/// <summary>What a successful upload tells: the blob's new ETag and time.</summary>
public sealed record BlobContentInfo(ETag ETag, DateTimeOffset LastModified);

/// <summary>A downloaded blob: its bytes and the properties that came with them.</summary>
public sealed record BlobDownloadResult(BinaryData Content, ETag ETag, string? ContentType, DateTimeOffset LastModified);

/// <summary>One entry of a listing.</summary>
public sealed record BlobItem(string Name, ETag ETag, long ContentLength, string? ContentType, DateTimeOffset? LastModified);

/// <summary>The Blob service error codes Gatehouse acts on (<c>RequestFailedException.ErrorCode</c>).</summary>
public static class BlobErrorCode
{
    /// <summary>A create-only upload (<c>If-None-Match: *</c>) found the blob there (409, or 412 on some paths).</summary>
    public const string BlobAlreadyExists = "BlobAlreadyExists";
    public const string BlobNotFound = "BlobNotFound";
    public const string ContainerNotFound = "ContainerNotFound";
    public const string ContainerAlreadyExists = "ContainerAlreadyExists";
    public const string ContainerBeingDeleted = "ContainerBeingDeleted";

    /// <summary>An <c>If-Match</c> or <c>If-None-Match</c> condition failed (412), or 304 Not Modified.</summary>
    public const string ConditionNotMet = "ConditionNotMet";
}
