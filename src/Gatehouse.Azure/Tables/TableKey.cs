using System.Text;

namespace Gatehouse.Azure.Tables;

/// <summary>
/// Turns any string (a user's entity name, say) into a valid key fragment: '%' and the characters
/// keys cannot hold ('/', '\', '#', '?', control characters) are percent-encoded. The mapping is
/// one-to-one, so a key never collides with another value's key.
/// </summary>
public static class TableKey
{
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Any(NeedsEscape))
        {
            return value;
        }
        var builder = new StringBuilder(value.Length + 16);
        foreach (var c in value)
        {
            if (NeedsEscape(c))
            {
                builder.Append('%').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    // Control characters above U+00FF do not exist, so two hex digits always suffice.
    private static bool NeedsEscape(char c) => c is '%' or '/' or '\\' or '#' or '?' || char.IsControl(c);
}
