using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Gatehouse.Bench;

/// <summary>
/// The same requests the storage clients send, made with a bare <see cref="HttpClient"/> and
/// signed by hand from the Azure docs: the floor the clients' overhead is measured against.
/// </summary>
internal sealed class RawStorageRequests(HttpClient http, string account, byte[] key)
{
    // The service versions StorageAccountOptions pins, so that Azurite does the same work for both.
    private const string TableVersion = "2020-12-06";
    private const string BlobVersion = "2025-11-05";

    public async Task InsertEntityAsync(Uri tableEndpoint, string table, byte[] json)
    {
        var uri = new Uri($"{tableEndpoint.AbsoluteUri.TrimEnd('/')}/{table}");
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(json) };
        var date = DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture);
        request.Headers.Add("x-ms-date", date);
        request.Headers.Add("x-ms-version", TableVersion);
        request.Headers.Add("DataServiceVersion", "3.0");
        request.Headers.Add("MaxDataServiceVersion", "3.0;NetFx");
        request.Headers.Add("Accept", "application/json;odata=minimalmetadata");
        request.Headers.Add("Prefer", "return-no-content");
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        request.Headers.TryAddWithoutValidation("Authorization", $"SharedKeyLite {account}:{Sign($"{date}\n/{account}{uri.AbsolutePath}")}");
        using var response = await http.SendAsync(request).ConfigureAwait(false);
        Expect(response, 204);
    }

    public async Task PutBlobAsync(Uri blobUri, byte[] content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, blobUri) { Content = new ByteArrayContent(content) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        var date = DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture);
        request.Headers.Add("x-ms-date", date);
        request.Headers.Add("x-ms-version", BlobVersion);
        request.Headers.Add("x-ms-blob-type", "BlockBlob");
        request.Headers.Add("x-ms-blob-content-type", "application/json");
        var canonicalHeaders =
            $"x-ms-blob-content-type:application/json\nx-ms-blob-type:BlockBlob\nx-ms-date:{date}\nx-ms-version:{BlobVersion}\n";
        var toSign = $"PUT\n\n\n{content.Length}\n\napplication/json\n\n\n\n\n\n\n{canonicalHeaders}/{account}{blobUri.AbsolutePath}";
        request.Headers.TryAddWithoutValidation("Authorization", $"SharedKey {account}:{Sign(toSign)}");
        using var response = await http.SendAsync(request).ConfigureAwait(false);
        Expect(response, 201);
    }

    public async Task<byte[]> GetBlobAsync(Uri blobUri)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, blobUri);
        var date = DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture);
        request.Headers.Add("x-ms-date", date);
        request.Headers.Add("x-ms-version", BlobVersion);
        var toSign = $"GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:{date}\nx-ms-version:{BlobVersion}\n/{account}{blobUri.AbsolutePath}";
        request.Headers.TryAddWithoutValidation("Authorization", $"SharedKey {account}:{Sign(toSign)}");
        using var response = await http.SendAsync(request).ConfigureAwait(false);
        Expect(response, 200);
        return await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
    }

    /// <summary>One page of a partition range query, each row's <c>B0</c> property parsed as the entity store reads bodies.</summary>
    public async Task<int> QueryPartitionAsync(Uri tableEndpoint, string table, string filter)
    {
        var uri = new Uri($"{tableEndpoint.AbsoluteUri.TrimEnd('/')}/{table}()?$filter={Uri.EscapeDataString(filter)}");
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        var date = DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture);
        request.Headers.Add("x-ms-date", date);
        request.Headers.Add("x-ms-version", TableVersion);
        request.Headers.Add("DataServiceVersion", "3.0");
        request.Headers.Add("MaxDataServiceVersion", "3.0;NetFx");
        request.Headers.Add("Accept", "application/json;odata=minimalmetadata");
        request.Headers.TryAddWithoutValidation("Authorization", $"SharedKeyLite {account}:{Sign($"{date}\n/{account}{uri.AbsolutePath}")}");
        using var response = await http.SendAsync(request).ConfigureAwait(false);
        Expect(response, 200);
        using var page = await System.Text.Json.JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync().ConfigureAwait(false)).ConfigureAwait(false);
        var rows = 0;
        foreach (var row in page.RootElement.GetProperty("value").EnumerateArray())
        {
            System.Text.Json.Nodes.JsonNode.Parse(row.GetProperty("B0").GetString()!);
            rows++;
        }
        return rows;
    }

    private string Sign(string stringToSign) =>
        Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));

    private static void Expect(HttpResponseMessage response, int status)
    {
        if ((int)response.StatusCode != status)
        {
            throw new InvalidOperationException($"raw request answered {(int)response.StatusCode}, expected {status}");
        }
    }
}
