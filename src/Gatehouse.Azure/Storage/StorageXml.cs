using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Azure;

namespace Gatehouse.Azure.Storage;

/// <summary>Reading the XML bodies of the Blob and Queue services, safely (no DTDs, no resolver).</summary>
internal static class StorageXml
{
    private static readonly XmlReaderSettings s_settings = new() { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };

    public static XElement Parse(Response response)
    {
        using var reader = XmlReader.Create(response.Content.ToStream(), s_settings);
        return XElement.Load(reader);
    }

    public static string? Text(this XElement element, string name) => element.Element(name)?.Value;

    public static DateTimeOffset? Date(this XElement element, string name) =>
        element.Text(name) is { Length: > 0 } text
            ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
            : null;
}
