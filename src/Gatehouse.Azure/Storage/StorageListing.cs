using System.Globalization;
using System.Xml.Linq;
using Azure;

namespace Gatehouse.Azure.Storage;

/// <summary>
/// The XML listings of the Blob and Queue services (<c>EnumerationResults</c>), which continue
/// from a <c>NextMarker</c>.
/// </summary>
internal static class StorageListing
{
    public static string Uri(string baseUri, string? prefix, string? marker, int? maxResults)
    {
        var uri = baseUri;
        if (!string.IsNullOrEmpty(prefix))
        {
            uri += "&prefix=" + System.Uri.EscapeDataString(prefix);
        }
        if (!string.IsNullOrEmpty(marker))
        {
            uri += "&marker=" + System.Uri.EscapeDataString(marker);
        }
        if (maxResults is { } max)
        {
            if (max is < 1 or > 5000)
            {
                throw new ArgumentOutOfRangeException(nameof(maxResults), max, "A listing page holds 1 to 5,000 items.");
            }
            uri += "&maxresults=" + max.ToString(CultureInfo.InvariantCulture);
        }
        return uri;
    }

    public static Page<T> Page<T>(Response response, string collection, string item, Func<XElement, T> read)
    {
        var root = StorageXml.Parse(response);
        var items = root.Element(collection)?.Elements(item).Select(read).ToList() ?? [];
        var next = root.Text("NextMarker");
        return global::Azure.Page<T>.FromValues(items, string.IsNullOrEmpty(next) ? null : next, response);
    }
}
