using System.Globalization;
using System.Text.RegularExpressions;

namespace Gatehouse.Core.DataPlanes;

/// <summary>
/// A Kong version as Kong's compatibility checks read it: major, minor and patch from the start
/// of the text (<c>3.9.1</c>, <c>3.9.1.0</c>, <c>3.10.0.0-beta</c>); anything after is ignored
/// (kong/clustering/compat/version.lua parses <c>^(%d+)%.(%d+)%.%d+</c>).
/// </summary>
public readonly partial record struct KongVersion(int Major, int Minor, int Patch)
{
    public static bool TryParse(string? text, out KongVersion version)
    {
        version = default;
        if (text is null || Prefix().Match(text) is not { Success: true } match)
        {
            return false;
        }
        if (!int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(match.Groups[2].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var minor)
            || !int.TryParse(match.Groups[3].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var patch))
        {
            return false;
        }
        version = new KongVersion(major, minor, patch);
        return true;
    }

    public static KongVersion Parse(string text) =>
        TryParse(text, out var version) ? version : throw new FormatException($"'{text}' is not a Kong version (major.minor.patch).");

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Patch}");

    [GeneratedRegex(@"^(\d{1,6})\.(\d{1,6})\.(\d{1,6})")]
    private static partial Regex Prefix();
}
