using System.Globalization;
using System.Text.Json;

namespace Gatehouse.Testing.OpenApi;

/// <summary>
/// Local references in the form a <c>$ref</c> is written, <c>#/components/schemas/X</c>: a JSON
/// pointer (RFC 6901) in a URI fragment, so it may also be percent-encoded.
/// </summary>
internal static class JsonPointer
{
    public const string Root = "#";

    // `%` is escaped too because a fragment is percent-decoded before it is read as a pointer.
    public static string Append(string pointer, string name) =>
        pointer + "/" + name
            .Replace("~", "~0", StringComparison.Ordinal)
            .Replace("/", "~1", StringComparison.Ordinal)
            .Replace("%", "%25", StringComparison.Ordinal);

    public static string Append(string pointer, int index) => pointer + "/" + index.ToString(CultureInfo.InvariantCulture);

    public static bool TryResolve(JsonElement root, string pointer, out JsonElement target)
    {
        if (!pointer.StartsWith(Root, StringComparison.Ordinal))
        {
            throw new NotSupportedException($"Only local references (#/...) are supported, not '{pointer}'.");
        }
        var path = Uri.UnescapeDataString(pointer[1..]);
        target = root;
        if (path.Length == 0)
        {
            return true;
        }
        if (path[0] != '/')
        {
            throw new FormatException($"'{pointer}' is not a JSON pointer.");
        }
        foreach (var token in path[1..].Split('/'))
        {
            var name = token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            switch (target.ValueKind)
            {
                case JsonValueKind.Object when target.TryGetProperty(name, out var child):
                    target = child;
                    break;
                case JsonValueKind.Array when int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < target.GetArrayLength():
                    target = target[index];
                    break;
                default:
                    return false;
            }
        }
        return true;
    }

    public static JsonElement Resolve(JsonElement root, string pointer) =>
        TryResolve(root, pointer, out var target)
            ? target
            : throw new KeyNotFoundException($"The document has nothing at '{pointer}'.");
}
