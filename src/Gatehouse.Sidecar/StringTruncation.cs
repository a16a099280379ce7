namespace Gatehouse.Sidecar;

/// <summary>Kong's and the control plane's messages can repeat a whole config; what the sidecar logs or passes on is kept short.</summary>
internal static class StringTruncation
{
    public static string Truncate(this string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
