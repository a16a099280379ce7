namespace Gatehouse.Azure.Tables;

/// <summary>
/// The service continues a query with two opaque keys; callers see them as one token. Keys
/// cannot hold control characters, so a newline separates them unambiguously.
/// </summary>
internal static class TableContinuation
{
    public static string? Format(string? nextPartitionKey, string? nextRowKey) =>
        string.IsNullOrEmpty(nextPartitionKey) ? null : nextPartitionKey + "\n" + nextRowKey;

    public static (string? NextPartitionKey, string? NextRowKey) Parse(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return (null, null);
        }
        var newline = token.IndexOf('\n', StringComparison.Ordinal);
        if (newline < 0)
        {
            return (token, null);
        }
        var row = token[(newline + 1)..];
        return (token[..newline], row.Length == 0 ? null : row);
    }
}
