using Azure.Core;
using Azure.Core.Pipeline;

namespace Gatehouse.Azure.Storage;

/// <summary>
/// Signs Table requests with Shared Key Lite (what the official Tables SDK uses):
/// <c>x-ms-date\n/account/path[?comp=value]</c>.
/// </summary>
internal sealed class TableSharedKeyLitePolicy(StorageSharedKeyCredential credential) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var stringToSign = BuildStringToSign(message.Request, credential.AccountName);
        message.Request.Headers.SetValue(
            HttpHeader.Names.Authorization,
            $"SharedKeyLite {credential.AccountName}:{credential.ComputeHmacSha256(stringToSign)}");
    }

    internal static string BuildStringToSign(Request request, string accountName)
    {
        request.Headers.TryGetValue(HttpHeader.Names.XMsDate, out var date);
        var uri = request.Uri.ToUri();
        var resource = $"/{accountName}{uri.AbsolutePath}";
        var comp = CompParameter(uri.Query);
        return comp is null ? $"{date}\n{resource}" : $"{date}\n{resource}?comp={comp}";
    }

    private static string? CompParameter(string query)
    {
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            if (pair.StartsWith("comp=", StringComparison.OrdinalIgnoreCase))
            {
                return Uri.UnescapeDataString(pair[5..]);
            }
        }
        return null;
    }
}
