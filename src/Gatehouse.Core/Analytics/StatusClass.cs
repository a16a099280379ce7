namespace Gatehouse.Core.Analytics;

/// <summary>HTTP status classes, by their wire names (<c>1xx</c> … <c>5xx</c>).</summary>
public static class StatusClass
{
    public static readonly IReadOnlyList<string> All = ["1xx", "2xx", "3xx", "4xx", "5xx"];

    /// <summary>The class of a status code as Kong's <c>code</c> label writes it; null for anything else.</summary>
    public static string? Of(string code) =>
        code.Length == 3 && code[0] is >= '1' and <= '5' && char.IsAsciiDigit(code[1]) && char.IsAsciiDigit(code[2]) ? $"{code[0]}xx" : null;

    public static bool IsKnown(string name) => All.Contains(name);
}
