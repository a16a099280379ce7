using System.Text.RegularExpressions;

namespace Gatehouse.Functions.Tests.Deployment;

/// <summary>
/// Reads ARM template string values: a value in brackets is an expression, evaluated at deployment
/// (<c>"[reference('…', '2023-01-31').clientId]"</c>); any other is a literal, and <c>"[["</c> starts
/// a literal that begins with a bracket.
/// </summary>
internal static partial class ArmExpression
{
    public static bool IsExpression(string value) =>
        value.StartsWith('[') && value.EndsWith(']') && !value.StartsWith("[[", StringComparison.Ordinal);

    /// <summary>The text of a literal value, or null for an expression.</summary>
    public static string? Literal(string value) =>
        IsExpression(value) ? null : value.StartsWith("[[", StringComparison.Ordinal) ? value[1..] : value;

    /// <summary>The functions an expression calls (not words inside its string literals).</summary>
    public static ISet<string> Functions(string expression) =>
        FunctionCall().Matches(StringLiteral().Replace(expression, "''")).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The resource properties an expression reads with <c>reference('{resource id}', '{api version}').{property}</c>,
    /// the form a deployment snapshot gives to what exists only once a resource is deployed.
    /// </summary>
    public static IReadOnlyList<(string ResourceId, string Property)> References(string expression) =>
        [.. Reference().Matches(expression).Select(m => (m.Groups["id"].Value, m.Groups["property"].Value))];

    [GeneratedRegex(@"'(?:[^']|'')*'")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"(?<name>[A-Za-z][A-Za-z0-9]*)\s*\(")]
    private static partial Regex FunctionCall();

    [GeneratedRegex(@"reference\('(?<id>[^']+)', '[^']+'\)\.(?<property>[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*)")]
    private static partial Regex Reference();
}
