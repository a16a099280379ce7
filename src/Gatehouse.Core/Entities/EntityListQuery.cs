using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gatehouse.Core.Entities;

/// <summary>
/// Kong's list parameters: <c>size</c> (1–1000, default 100), the opaque <c>offset</c> Kong hands
/// out (base64 of the last id), <c>tags</c> (<c>a,b</c> all of, <c>a/b</c> any of, at most 5), and
/// Konnect's <c>filter[name][eq|contains]</c>.
/// </summary>
public sealed record EntityListQuery
{
    public const int DefaultSize = 100;
    public const int MaxSize = 1000;
    public const int MaxTags = 5;

    public int Size { get; init; } = DefaultSize;

    /// <summary>The id to continue after.</summary>
    public string? After { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public bool AnyTag { get; init; }

    public string? NameEquals { get; init; }

    public string? NameContains { get; init; }

    /// <summary>Kong's <c>GET /consumers?custom_id=</c>.</summary>
    public string? CustomId { get; init; }

    /// <summary>A condition of the caller's own, beyond Kong's parameters (the stored plugins that no longer validate).</summary>
    public Func<JsonObject, bool>? Where { get; init; }

    public static EntityListQuery Parse(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var query = new EntityListQuery();
        foreach (var (name, value) in parameters)
        {
            query = name switch
            {
                "size" => query with { Size = ParseSize(value) },
                "offset" => query with { After = ParseOffset(value) },
                "tags" => ParseTags(query, value),
                "filter[name][eq]" or "filter[name]" => query with { NameEquals = value },
                "filter[name][contains]" => query with { NameContains = value },
                "custom_id" when value.Length == 0 => throw Invalid("custom_id", "custom_id must be an unempty string"),
                "custom_id" => query with { CustomId = value },
                // Kong ignores parameters it does not know; so do we.
                _ => query,
            };
        }
        return query;
    }

    public static string FormatOffset(string id) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonArray(id).ToJsonString())).TrimEnd('=');

    /// <summary>Whether an entity passes the tag and name filters (name = the schema's endpoint key).</summary>
    public bool Matches(JsonObject entity, string? nameField)
    {
        if (Tags.Count > 0)
        {
            var tags = EntityChecks.Strings(entity["tags"]);
            if (AnyTag ? !Tags.Any(tags.Contains) : !Tags.All(tags.Contains))
            {
                return false;
            }
        }
        if (CustomId is not null && EntityChecks.Text(entity["custom_id"]) != CustomId)
        {
            return false;
        }
        if (Where is not null && !Where(entity))
        {
            return false;
        }
        if (NameEquals is null && NameContains is null)
        {
            return true;
        }
        var name = nameField is not null && entity[nameField]?.GetValueKind() == JsonValueKind.String ? entity[nameField]!.GetValue<string>() : null;
        return (NameEquals is null || name == NameEquals)
            && (NameContains is null || (name?.Contains(NameContains, StringComparison.OrdinalIgnoreCase) ?? false));
    }

    private static int ParseSize(string value)
    {
        if (!double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var size))
        {
            throw Invalid("size", "size must be a number");
        }
        if (size != Math.Floor(size) || size is < 1 or > MaxSize)
        {
            throw Invalid("size", $"size must be an integer between 1 and {MaxSize}");
        }
        return (int)size;
    }

    private static string ParseOffset(string value)
    {
        try
        {
            var padded = value.PadRight(value.Length + ((4 - (value.Length % 4)) % 4), '=');
            var json = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(padded)));
            if (json is JsonArray { Count: 1 } array && array[0]?.GetValueKind() == JsonValueKind.String
                && Validators.IsUuid(array[0]!.GetValue<string>()))
            {
                return array[0]!.GetValue<string>();
            }
            throw Invalid("offset", $"'{value}' is not a valid offset: bad json encoding");
        }
        catch (FormatException)
        {
            throw Invalid("offset", $"'{value}' is not a valid offset: bad base64 encoding");
        }
        catch (JsonException)
        {
            throw Invalid("offset", $"'{value}' is not a valid offset: bad json encoding");
        }
    }

    private static EntityListQuery ParseTags(EntityListQuery query, string value)
    {
        var hasAnd = value.Contains(',', StringComparison.Ordinal);
        var hasOr = value.Contains('/', StringComparison.Ordinal);
        if (value.Length == 0 || (hasAnd && hasOr))
        {
            throw Invalid("tags", "invalid option (tags: invalid filter syntax)");
        }
        var tags = value.Split(hasOr ? '/' : ',');
        if (tags.Any(t => t.Length == 0))
        {
            throw Invalid("tags", "invalid option (tags: invalid filter syntax)");
        }
        if (tags.Length > MaxTags)
        {
            throw Invalid("tags", $"invalid option (tags: cannot query more than {MaxTags} tags)");
        }
        return query with { Tags = tags, AnyTag = hasOr };
    }

    private static EntityRejectedException Invalid(string field, string message) =>
        new(Rejection.Invalid, message, [new FieldError(field, message)]);
}
