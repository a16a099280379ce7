using System.Runtime.CompilerServices;
using Azure.Data.Tables;

namespace Gatehouse.Azure.Tables;

/// <summary>
/// Key ranges for Gatehouse's key layout, where a kind of row is a key prefix. Values are quoted
/// and escaped by <see cref="TableClient.CreateQueryFilter(FormattableString)"/>.
/// </summary>
public static class TableFilter
{
    /// <summary>The rows whose key starts with <paramref name="prefix"/>: <c>ge prefix and lt next(prefix)</c>.</summary>
    public static string StartsWith(string property, string prefix) =>
        TableClient.CreateQueryFilter(FormattableStringFactory.Create($"{property} ge {{0}} and {property} lt {{1}}", prefix, UpperBound(prefix)));

    /// <summary>The rows of one partition whose row key starts with <paramref name="prefix"/>: one kind of row in Gatehouse's layout.</summary>
    public static string InPartitionStartingWith(string partition, string prefix) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {partition}") + " and " + StartsWith("RowKey", prefix);

    /// <summary>The least string above every string that starts with <paramref name="prefix"/>.</summary>
    public static string UpperBound(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        if (prefix[^1] == char.MaxValue)
        {
            throw new ArgumentException("A prefix ending in U+FFFF has no upper bound.", nameof(prefix));
        }
        return prefix[..^1] + (char)(prefix[^1] + 1);
    }
}
