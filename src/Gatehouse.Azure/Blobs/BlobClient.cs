using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Gatehouse.Azure.Storage;

namespace Gatehouse.Azure.Blobs;

/// <summary>One block blob: uploaded whole, downloaded whole, with ETag conditions.</summary>
public class BlobClient
{
    private static readonly int[] s_created = [201];
    private static readonly int[] s_ok = [200];
    private static readonly int[] s_deletedOrMissing = [202, 404];

    private readonly HttpPipeline _pipeline;
    private readonly string _blobUri;
    private readonly string _version;

    internal BlobClient(HttpPipeline pipeline, string containerUri, string blobName, string version)
    {
        _pipeline = pipeline;
        Name = StorageNames.CheckBlobName(blobName);
        _blobUri = $"{containerUri}/{StorageNames.EscapeBlobPath(blobName)}";
        _version = version;
    }

    /// <summary>For mocking frameworks only.</summary>
    protected BlobClient()
    {
        _pipeline = null!;
        _blobUri = _version = Name = "";
    }

    public virtual string Name { get; }

    public virtual Uri Uri => new(_blobUri);

    /// <summary>
    /// Uploads <paramref name="content"/> as the blob's whole content. Without
    /// <paramref name="overwrite"/> it only creates: a blob already there fails with
    /// <see cref="BlobErrorCode.BlobAlreadyExists"/> (the service answers 409 or 412; both read so).
    /// </summary>
    public virtual Task<Response<BlobContentInfo>> UploadAsync(
        BinaryData content, bool overwrite = false, string? contentType = null, CancellationToken cancellationToken = default) =>
        UploadAsync(content, overwrite ? null : new RequestConditions { IfNoneMatch = ETag.All }, contentType, cancellationToken);

    /// <summary>Uploads under <paramref name="conditions"/> (<c>If-Match</c> for optimistic concurrency, <c>If-None-Match: *</c> to create only).</summary>
    public virtual async Task<Response<BlobContentInfo>> UploadAsync(
        BinaryData content, RequestConditions? conditions, string? contentType = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var message = _pipeline.CreateMessage(RequestMethod.Put, _blobUri, _version);
        var request = message.Request;
        request.Headers.Add("x-ms-blob-type", "BlockBlob");
        request.Headers.Add(HttpHeader.Names.ContentType, contentType ?? "application/octet-stream");
        request.Headers.Add("x-ms-blob-content-type", contentType ?? "application/octet-stream");
        AddConditions(request, conditions);
        request.Content = RequestContent.Create(content);

        Response response;
        try
        {
            response = await _pipeline.SendExpectingAsync(message, s_created, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 && conditions?.IfNoneMatch == ETag.All)
        {
            throw new RequestFailedException(e.Status, $"Blob '{Name}' already exists. {e.Message}", BlobErrorCode.BlobAlreadyExists, e);
        }
        return Response.FromValue(
            new BlobContentInfo(response.Headers.ETag ?? default, LastModified(response)),
            response);
    }

    /// <summary>
    /// Downloads the whole blob. With <c>IfNoneMatch</c> set to the ETag the caller has, an
    /// unchanged blob fails with status 304 (<see cref="BlobErrorCode.ConditionNotMet"/>), as in
    /// the Azure SDK, and no content is transferred.
    /// </summary>
    public virtual async Task<Response<BlobDownloadResult>> DownloadContentAsync(
        RequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Get, _blobUri, _version);
        AddConditions(message.Request, conditions);
        var response = await _pipeline.SendExpectingAsync(message, s_ok, cancellationToken).ConfigureAwait(false);
        response.Headers.TryGetValue(HttpHeader.Names.ContentType, out var contentType);
        return Response.FromValue(
            new BlobDownloadResult(response.Content, response.Headers.ETag ?? default, contentType, LastModified(response)),
            response);
    }

    /// <summary>Deletes the blob (under <paramref name="conditions"/>); <c>Value</c> is false when there was none.</summary>
    public virtual async Task<Response<bool>> DeleteIfExistsAsync(
        RequestConditions? conditions = null, CancellationToken cancellationToken = default)
    {
        using var message = _pipeline.CreateMessage(RequestMethod.Delete, _blobUri, _version);
        AddConditions(message.Request, conditions);
        var response = await _pipeline.SendExpectingAsync(message, s_deletedOrMissing, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(response.Status == 202, response);
    }

    private static void AddConditions(Request request, RequestConditions? conditions)
    {
        if (conditions is null)
        {
            return;
        }
        if (conditions.IfMatch is { } ifMatch)
        {
            request.Headers.Add(HttpHeader.Names.IfMatch, ifMatch.ToString("H"));
        }
        if (conditions.IfNoneMatch is { } ifNoneMatch)
        {
            request.Headers.Add(HttpHeader.Names.IfNoneMatch, ifNoneMatch.ToString("H"));
        }
        if (conditions.IfModifiedSince is { } since)
        {
            request.Headers.Add(HttpHeader.Names.IfModifiedSince, since.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        }
        if (conditions.IfUnmodifiedSince is { } unmodifiedSince)
        {
            request.Headers.Add(HttpHeader.Names.IfUnmodifiedSince, unmodifiedSince.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static DateTimeOffset LastModified(Response response) =>
        response.Headers.TryGetValue("Last-Modified", out var value)
            && DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : default;
}
