using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gatehouse.Functions.Http;

/// <summary>Kong's and Konnect's wire conventions: snake_case names, nulls written where the spec shows them.</summary>
internal static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Bodies larger than this are refused with 413 before they are parsed.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    public static JsonDocumentOptions DocumentOptions { get; } = new()
    {
        MaxDepth = 64,
        // A key given twice is ambiguous: which one did the user mean? Refuse instead of guessing.
        AllowDuplicateProperties = false,
    };

    /// <summary>ISO-8601 in UTC with milliseconds, as Konnect writes created_at / updated_at.</summary>
    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
