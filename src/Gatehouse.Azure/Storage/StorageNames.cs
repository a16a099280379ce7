namespace Gatehouse.Azure.Storage;

/// <summary>The naming rules of containers, queues and blobs, checked before anything is sent.</summary>
public static class StorageNames
{
    public const int MaxBlobNameLength = 1024;

    /// <summary>
    /// Containers and queues: 3–63 lower-case letters, digits and single hyphens, starting and
    /// ending with a letter or digit.
    /// </summary>
    public static string CheckContainerOrQueueName(string name, string paramName)
    {
        ArgumentNullException.ThrowIfNull(name, paramName);
        var valid = name.Length is >= 3 and <= 63
            && IsLowerAlphanumeric(name[0]) && IsLowerAlphanumeric(name[^1])
            && name.All(c => IsLowerAlphanumeric(c) || c == '-')
            && !name.Contains("--", StringComparison.Ordinal);
        return valid
            ? name
            : throw new ArgumentException(
                $"'{name}' is not a valid name: 3-63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit.",
                paramName);
    }

    /// <summary>1–1,024 characters, no control characters, not ending in '.' or '/'.</summary>
    public static string CheckBlobName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or > MaxBlobNameLength)
        {
            throw new ArgumentException($"A blob name is 1 to {MaxBlobNameLength} characters, not {name.Length}.", nameof(name));
        }
        if (name.Any(char.IsControl) || name.Contains('\\', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Blob name '{name}' contains a control character or '\\'.", nameof(name));
        }
        if (name[^1] is '.' or '/')
        {
            throw new ArgumentException($"Blob name '{name}' ends in '{name[^1]}', which the service trims or misreads.", nameof(name));
        }
        return name;
    }

    /// <summary>The blob name as a URL path: each '/'-separated segment percent-encoded.</summary>
    public static string EscapeBlobPath(string name) =>
        string.Join('/', name.Split('/').Select(Uri.EscapeDataString));

    private static bool IsLowerAlphanumeric(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);
}
