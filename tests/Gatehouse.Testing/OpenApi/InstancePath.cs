using System.Globalization;
using System.Text.RegularExpressions;

namespace Gatehouse.Testing.OpenApi;

/// <summary>JSONPath-style locations in an instance: <c>$.data[0].config</c>, <c>$['odd key']</c>.</summary>
internal static partial class InstancePath
{
    public const string Root = "$";

    public static string Property(string path, string name) =>
        PlainName().IsMatch(name)
            ? path + "." + name
            : path + "['" + name.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("'", @"\'", StringComparison.Ordinal) + "']";

    public static string Index(string path, int index) => path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex PlainName();
}
