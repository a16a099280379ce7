using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Gatehouse.Core.Entities;

/// <summary>
/// Route paths as Kong checks them: a prefix path ("/...") must already be normalized; a regex
/// path ("~/...") must compile.
/// </summary>
public static class RouterPaths
{
    private const string Reserved = "!*'();:@&=+$,/?%#[]";

    public static string? Check(string path)
    {
        if (path.Contains("//", StringComparison.Ordinal))
        {
            return "must not have empty segments";
        }
        if (!path.StartsWith('/') && !path.StartsWith("~/", StringComparison.Ordinal))
        {
            return "should start with: / (fixed path) or ~/ (regex path)";
        }
        if (Typedefs.PercentEncoding(path) is { } encoding)
        {
            return encoding;
        }
        if (path.StartsWith('~'))
        {
            try
            {
                _ = new Regex(path[1..], RegexOptions.None, TimeSpan.FromMilliseconds(100));
                return null;
            }
            catch (ArgumentException e)
            {
                return $"invalid regex: '{path[1..]}' ({e.Message})";
            }
        }
        var normalized = Normalize(path);
        return normalized == path ? null : $"non-normalized path, consider use '{normalized}' instead";
    }

    /// <summary>
    /// Kong's uri normalize (kong/tools/uri.lua): decode escapes of unreserved characters,
    /// upper-case the hex of reserved ones, remove dot segments, merge repeated slashes.
    /// </summary>
    public static string Normalize(string path)
    {
        var decoded = new StringBuilder(path.Length);
        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] == '%' && i + 2 < path.Length
                && byte.TryParse(path.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
            {
                var c = (char)b;
                if (b < 0x80 && !Reserved.Contains(c, StringComparison.Ordinal) && !char.IsControl(c) && c != ' ')
                {
                    decoded.Append(c);
                }
                else
                {
                    decoded.Append('%').Append(path.Substring(i + 1, 2).ToUpperInvariant());
                }
                i += 2;
            }
            else
            {
                decoded.Append(path[i]);
            }
        }

        var output = new List<string>();
        var segments = decoded.ToString().Split('/');
        for (var i = 1; i < segments.Length; i++)
        {
            var segment = segments[i];
            var last = i == segments.Length - 1;
            switch (segment)
            {
                case ".":
                    if (last)
                    {
                        output.Add("");
                    }
                    break;
                case "..":
                    if (output.Count > 0)
                    {
                        output.RemoveAt(output.Count - 1);
                    }
                    if (last)
                    {
                        output.Add("");
                    }
                    break;
                case "" when !last:
                    break;
                default:
                    output.Add(segment);
                    break;
            }
        }
        return "/" + string.Join('/', output);
    }
}
