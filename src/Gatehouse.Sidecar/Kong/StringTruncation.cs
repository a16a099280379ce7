namespace Gatehouse.Sidecar.Kong;

/// <summary>Kong's messages can repeat a whole config; what the sidecar passes on is kept short.</summary>
internal static class StringTruncation
{
    public static string Truncate(this string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
