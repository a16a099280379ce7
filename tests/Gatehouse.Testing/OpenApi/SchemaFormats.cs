using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Gatehouse.Testing.OpenApi;

/// <summary>The formats the Konnect specs use that can be checked; the validator reports the others as unknown.</summary>
internal static partial class SchemaFormats
{
    public static bool IsKnown(string format) => format is "uuid" or "date-time" or "uri" or "url" or "int32" or "int64";

    /// <summary>Why <paramref name="value"/> is not of <paramref name="format"/>, or null if it is (or the format is not about strings).</summary>
    public static string? StringProblem(string format, string value) => format switch
    {
        "uuid" => Uuid().IsMatch(value) ? null : "is not a UUID (8-4-4-4-12 hex digits)",
        "date-time" => IsDateTime(value) ? null : "is not an RFC 3339 date-time such as 2022-11-04T20:10:06.927Z",
        // Loosely: any absolute URI with a scheme; the specs say "url" for endpoints like https://x.cp.konghq.com.
        "uri" or "url" => IsAbsoluteUri(value) ? null : "is not an absolute URI",
        _ => null,
    };

    /// <summary>Why <paramref name="number"/> is not of <paramref name="format"/>, or null if it is (or the format is not about numbers).</summary>
    public static string? NumberProblem(string format, JsonElement number) => format switch
    {
        "int32" => IsIntegerWithin(number, int.MinValue, int.MaxValue) ? null : "is not a 32-bit integer",
        "int64" => IsIntegerWithin(number, long.MinValue, long.MaxValue) ? null : "is not a 64-bit integer",
        _ => null,
    };

    // Through decimal, so that 5.0 counts as the integer it is.
    private static bool IsIntegerWithin(JsonElement number, long min, long max) =>
        number.TryGetDecimal(out var value) && value == decimal.Truncate(value) && value >= min && value <= max;

    private static bool IsDateTime(string value)
    {
        var match = DateTime().Match(value);
        if (!match.Success)
        {
            return false;
        }
        int Part(string name) => int.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture);
        var (year, month) = (Part("year"), Part("month"));
        return year >= 1 && month is >= 1 and <= 12
            && Part("day") >= 1 && Part("day") <= System.DateTime.DaysInMonth(year, month)
            && Part("hour") <= 23 && Part("minute") <= 59
            && Part("second") <= 60 // a leap second, which RFC 3339 allows
            && (!match.Groups["offsetHour"].Success || (Part("offsetHour") <= 23 && Part("offsetMinute") <= 59));
    }

    // On Unix, Uri.TryCreate takes "/path" for an absolute file URI; requiring a scheme rules that out.
    private static bool IsAbsoluteUri(string value) =>
        UriScheme().IsMatch(value) && Uri.TryCreate(value, UriKind.Absolute, out _);

    [GeneratedRegex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\z")]
    private static partial Regex Uuid();

    [GeneratedRegex(@"^(?<year>[0-9]{4})-(?<month>[0-9]{2})-(?<day>[0-9]{2})[Tt](?<hour>[0-9]{2}):(?<minute>[0-9]{2}):(?<second>[0-9]{2})(?:\.[0-9]+)?(?:[Zz]|[-+](?<offsetHour>[0-9]{2}):(?<offsetMinute>[0-9]{2}))\z")]
    private static partial Regex DateTime();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*:")]
    private static partial Regex UriScheme();
}
