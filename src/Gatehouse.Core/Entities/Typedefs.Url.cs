using System.Text.RegularExpressions;

namespace Gatehouse.Core.Entities;

public static partial class Typedefs
{
    /// <summary>
    /// typedefs.url (typedefs.lua:205-221, 331-335): any string LuaSocket's <c>url.parse</c> finds
    /// a host and a scheme in. Kong checks the host first, so "example.com" (no "//") is
    /// "missing host in url".
    /// </summary>
    public static Field Url(string name) => new Field(name, FieldType.String).With(UrlValidator);

    public static Validator UrlValidator { get; } = value => UrlProblem(value.GetValue<string>());

    /// <summary>
    /// The host and scheme as LuaSocket 3.0-rc1's <c>url.parse</c> (src/url.lua) finds them: the
    /// fragment, then a scheme before the first ':', then an authority after a leading "//"; the
    /// host is the authority without user info and port. ("" never gets here: strings have len_min 1.)
    /// </summary>
    private static string? UrlProblem(string url)
    {
        var rest = url.Split('#')[0];
        var scheme = UrlScheme().Match(rest);
        rest = rest[scheme.Length..];
        string? host = null;
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            var authority = rest[2..].Split('/')[0];
            var at = authority.IndexOf('@', StringComparison.Ordinal);
            authority = at < 0 ? authority : authority[(at + 1)..];
            authority = UrlPort().Replace(authority, "");
            host = authority.Length == 0 ? null : authority;
        }
        if (host is null)
        {
            return "missing host in url";
        }
        return scheme.Success ? null : "missing scheme in url";
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9+\-.]*:")]
    private static partial Regex UrlScheme();

    /// <summary>Lua's <c>:([^:%]]*)$</c>: the last ':' not inside an IPv6 literal.</summary>
    [GeneratedRegex(@":[^:\]]*\z")]
    private static partial Regex UrlPort();
}
