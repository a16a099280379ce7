using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Gatehouse.Azure.Storage;

/// <summary>
/// Signs Blob and Queue requests with Shared Key, as
/// https://learn.microsoft.com/rest/api/storageservices/authorize-with-shared-key specifies.
/// </summary>
internal sealed class SharedKeyPolicy(StorageSharedKeyCredential credential) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var stringToSign = BuildStringToSign(message.Request, credential.AccountName);
        message.Request.Headers.SetValue(
            HttpHeader.Names.Authorization,
            $"SharedKey {credential.AccountName}:{credential.ComputeHmacSha256(stringToSign)}");
    }

    internal static string BuildStringToSign(Request request, string accountName)
    {
        string Header(string name) => request.Headers.TryGetValue(name, out var value) ? value : "";

        var contentLength = "";
        if (request.Content is not null && request.Content.TryComputeLength(out var length) && length > 0)
        {
            contentLength = length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var builder = new StringBuilder(256)
            .Append(request.Method.Method).Append('\n')
            .Append(Header("Content-Encoding")).Append('\n')
            .Append(Header("Content-Language")).Append('\n')
            .Append(contentLength).Append('\n')
            .Append(Header("Content-MD5")).Append('\n')
            .Append(Header(HttpHeader.Names.ContentType)).Append('\n')
            .Append('\n') // Date: x-ms-date is always set instead.
            .Append(Header(HttpHeader.Names.IfModifiedSince)).Append('\n')
            .Append(Header(HttpHeader.Names.IfMatch)).Append('\n')
            .Append(Header(HttpHeader.Names.IfNoneMatch)).Append('\n')
            .Append(Header(HttpHeader.Names.IfUnmodifiedSince)).Append('\n')
            .Append(Header(HttpHeader.Names.Range)).Append('\n');

        AppendCanonicalizedHeaders(builder, request);
        AppendCanonicalizedResource(builder, request.Uri.ToUri(), accountName);
        return builder.ToString();
    }

    private static void AppendCanonicalizedHeaders(StringBuilder builder, Request request)
    {
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var header in request.Headers)
        {
            if (header.Name.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
            {
                headers.Add(new(header.Name.ToLowerInvariant(), header.Value.Trim()));
            }
        }
        headers.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        foreach (var (name, value) in headers)
        {
            builder.Append(name).Append(':').Append(value).Append('\n');
        }
    }

    private static void AppendCanonicalizedResource(StringBuilder builder, Uri uri, string accountName)
    {
        builder.Append('/').Append(accountName).Append(uri.AbsolutePath.Length > 0 ? uri.AbsolutePath : "/");

        var query = uri.Query;
        if (query.Length <= 1)
        {
            return;
        }

        var parameters = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var pair in query[1..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            var name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]).ToLowerInvariant();
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            if (!parameters.TryGetValue(name, out var values))
            {
                parameters[name] = values = [];
            }
            values.Add(value);
        }
        foreach (var (name, values) in parameters)
        {
            values.Sort(StringComparer.Ordinal);
            builder.Append('\n').Append(name).Append(':').AppendJoin(',', values);
        }
    }
}
