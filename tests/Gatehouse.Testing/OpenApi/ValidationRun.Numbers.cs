using System.Text.Json;

namespace Gatehouse.Testing.OpenApi;

/// <summary>minimum, maximum, exclusiveMinimum, exclusiveMaximum and multipleOf, and what an integer is.</summary>
internal sealed partial class ValidationRun
{
    private void CheckMinimum(JsonElement schema, JsonElement minimum, string at, JsonElement instance, string path)
    {
        if (instance.ValueKind != JsonValueKind.Number)
        {
            return;
        }
        // Draft 4 and OpenAPI 3.0 write an exclusive bound as `exclusiveMinimum: true` beside `minimum`.
        var exclusive = schema.TryGetProperty("exclusiveMinimum", out var flag) && flag.ValueKind == JsonValueKind.True;
        var order = Compare(instance, minimum);
        if (order < 0 || (exclusive && order == 0))
        {
            Fail(path, at, $"{Show(instance)} is less than {(exclusive ? "or equal to " : "")}the minimum {Show(minimum)}");
        }
    }

    private void CheckMaximum(JsonElement schema, JsonElement maximum, string at, JsonElement instance, string path)
    {
        if (instance.ValueKind != JsonValueKind.Number)
        {
            return;
        }
        var exclusive = schema.TryGetProperty("exclusiveMaximum", out var flag) && flag.ValueKind == JsonValueKind.True;
        var order = Compare(instance, maximum);
        if (order > 0 || (exclusive && order == 0))
        {
            Fail(path, at, $"{Show(instance)} is greater than {(exclusive ? "or equal to " : "")}the maximum {Show(maximum)}");
        }
    }

    // Draft 6 and later, and OpenAPI 3.1, make the exclusive bound a number of its own; the boolean
    // form is read by CheckMinimum and CheckMaximum.
    private void CheckExclusiveBound(JsonElement bound, string at, JsonElement instance, string path, bool minimum)
    {
        if (instance.ValueKind != JsonValueKind.Number || bound.ValueKind != JsonValueKind.Number)
        {
            return;
        }
        var order = Compare(instance, bound);
        if (minimum ? order <= 0 : order >= 0)
        {
            Fail(path, at, $"{Show(instance)} is not {(minimum ? "greater" : "less")} than {Show(bound)}");
        }
    }

    private void CheckMultipleOf(JsonElement divisor, string at, JsonElement instance, string path)
    {
        if (instance.ValueKind != JsonValueKind.Number)
        {
            return;
        }
        bool multiple;
        if (instance.TryGetDecimal(out var value) && divisor.TryGetDecimal(out var by))
        {
            multiple = value % by == 0;
        }
        else
        {
            var quotient = instance.GetDouble() / divisor.GetDouble();
            multiple = Math.Abs(quotient - Math.Round(quotient)) <= 1e-9 * Math.Max(1, Math.Abs(quotient));
        }
        if (!multiple)
        {
            Fail(path, at, $"{Show(instance)} is not a multiple of {Show(divisor)}");
        }
    }

    // decimal keeps 0.1 exact, which double does not; numbers outside its range fall back to double.
    private static int Compare(JsonElement left, JsonElement right) =>
        left.TryGetDecimal(out var x) && right.TryGetDecimal(out var y)
            ? x.CompareTo(y)
            : left.GetDouble().CompareTo(right.GetDouble());

    /// <summary>JSON Schema's integer is a number with no fractional part, so 1.0 is one and 1.5 is not.</summary>
    private static bool IsInteger(JsonElement number)
    {
        if (number.TryGetDecimal(out var value))
        {
            return value == decimal.Truncate(value);
        }
        var approximate = number.GetDouble();
        return double.IsFinite(approximate) && Math.Floor(approximate) == approximate;
    }
}
