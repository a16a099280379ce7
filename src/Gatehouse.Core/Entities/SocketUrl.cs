using System.Text.RegularExpressions;

namespace Gatehouse.Core.Entities;

/// <summary>
/// What LuaSocket's <c>url.parse</c> finds in a URL (src/url.lua at v3.0-rc1, the luasocket that
/// Kong 3.9.3's rockspec pins), as far as Kong's schemas read it: the scheme, the user info and
/// the host. It follows Lua patterns, not a URI grammar: <c>localhost:8080</c> has the scheme
/// <c>localhost</c> and no host, and <c>http://@example.test</c> has an empty user info.
/// </summary>
public sealed partial record SocketUrl(string? Scheme, string? UserInfo, string? Host)
{
    public static SocketUrl Parse(string url)
    {
        // The fragment goes first, then the scheme; the authority is what follows "//" up to a '/'.
        var hash = url.IndexOf('#', StringComparison.Ordinal);
        var rest = hash < 0 ? url : url[..hash];
        string? scheme = null;
        if (SchemePrefix().Match(rest) is { Success: true } prefix)
        {
            scheme = prefix.Groups[1].Value;
            rest = rest[prefix.Length..];
        }
        if (!rest.StartsWith("//", StringComparison.Ordinal))
        {
            return new(scheme, null, null);
        }
        var slash = rest.IndexOf('/', 2);
        var authority = slash < 0 ? rest[2..] : rest[2..slash];
        string? userInfo = null;
        var at = authority.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            userInfo = authority[..at];
            authority = authority[(at + 1)..];
        }
        if (PortSuffix().Match(authority) is { Success: true } port)
        {
            authority = authority[..port.Index];
        }
        string? host = null;
        if (authority.Length > 0)
        {
            host = BracketedHost().Match(authority) is { Success: true } ipv6 ? ipv6.Groups[1].Value : authority;
        }
        return new(scheme, userInfo, host);
    }

    /// <summary><c>^([%w][%w%+%-%.]*)%:</c></summary>
    [GeneratedRegex(@"^([A-Za-z0-9][A-Za-z0-9+\-.]*):")]
    private static partial Regex SchemePrefix();

    /// <summary><c>:([^:%]]*)$</c>: the last ':' with no ':' or ']' after it.</summary>
    [GeneratedRegex(@":[^:\]]*\z")]
    private static partial Regex PortSuffix();

    /// <summary><c>^%[(.+)%]$</c></summary>
    [GeneratedRegex(@"^\[([\s\S]+)\]\z")]
    private static partial Regex BracketedHost();
}
