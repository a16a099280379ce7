using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Gatehouse.Azure.Storage;

/// <summary>
/// Blobs written once under a name that says what they hold (a snapshot by its hash, an import by
/// its id): uploaded with <c>If-None-Match: *</c>, so that a blob already there is never overwritten.
/// </summary>
internal static class BlobCreateOnly
{
    public static Task<Response<BlobContentInfo>> UploadAsync(
        BlobClient blob, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken, string? contentEncoding = null) =>
        blob.UploadAsync(
            BinaryData.FromBytes(content),
            new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = contentType, ContentEncoding = contentEncoding },
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            },
            cancellationToken);

    /// <summary>
    /// Whether a create-only upload failed because the blob is there: the service answers 409
    /// BlobAlreadyExists, and on some paths 412 for the failed condition, which can mean only that.
    /// </summary>
    public static bool AlreadyExists(RequestFailedException e) =>
        e.ErrorCode == BlobErrorCode.BlobAlreadyExists || e.Status == 412;
}
