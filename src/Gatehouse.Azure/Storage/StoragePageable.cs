using Azure;

namespace Gatehouse.Azure.Storage;

/// <summary>Pages fetched one request at a time, each continuing from the token of the last.</summary>
internal sealed class StoragePageable<T>(
    Func<string?, int?, CancellationToken, ValueTask<Page<T>>> fetchPage,
    CancellationToken cancellationToken) : AsyncPageable<T>(cancellationToken)
    where T : notnull
{
    public override async IAsyncEnumerable<Page<T>> AsPages(string? continuationToken = null, int? pageSizeHint = null)
    {
        do
        {
            var page = await fetchPage(continuationToken, pageSizeHint, CancellationToken).ConfigureAwait(false);
            continuationToken = page.ContinuationToken;
            yield return page;
        }
        while (!string.IsNullOrEmpty(continuationToken));
    }
}
