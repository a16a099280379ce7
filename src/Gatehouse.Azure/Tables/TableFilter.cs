using System.Globalization;

namespace Gatehouse.Azure.Tables;

/// <summary>
/// Builds OData <c>$filter</c> expressions with every value quoted and escaped by its type, so
/// that a key from user input cannot change the meaning of a query.
/// </summary>
public static class TableFilter
{
    /// <example><c>TableFilter.Create($"PartitionKey eq {cp} and RowKey ge {prefix}")</c></example>
    public static string Create(FormattableString filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var arguments = filter.GetArguments();
        var literals = new object[arguments.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            literals[i] = Literal(arguments[i]);
        }
        return string.Format(CultureInfo.InvariantCulture, filter.Format, literals);
    }

    /// <summary>The rows whose key starts with <paramref name="prefix"/>: <c>ge prefix and lt next(prefix)</c>.</summary>
    public static string StartsWith(string property, string prefix)
    {
        return $"{property} ge {Literal(prefix)} and {property} lt {Literal(UpperBound(prefix))}";
    }

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

    public static string Literal(object? value) => value switch
    {
        null => "null",
        string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture) + "L",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        DateTimeOffset d => $"datetime'{d.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffffZ}'",
        DateTime d => Literal(new DateTimeOffset(d.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(d, DateTimeKind.Utc) : d)),
        Guid g => $"guid'{g:D}'",
        byte[] bytes => $"X'{Convert.ToHexStringLower(bytes)}'",
        _ => throw new ArgumentException($"A {value.GetType().Name} cannot be used in a table filter.", nameof(value)),
    };
}
