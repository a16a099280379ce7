using System.Text.Json;

namespace Gatehouse.Testing.OpenApi;

/// <summary>minLength, maxLength, pattern and format.</summary>
internal sealed partial class ValidationRun
{
    private void CheckLength(JsonElement bound, string at, JsonElement instance, string path, bool minimum)
    {
        if (instance.ValueKind != JsonValueKind.String)
        {
            return;
        }
        // JSON Schema counts characters as code points: an emoji outside the BMP is one, not two UTF-16 units.
        var length = instance.GetString()!.EnumerateRunes().Count();
        var limit = bound.GetInt32();
        if (minimum ? length < limit : length > limit)
        {
            Fail(path, at, $"{Show(instance)} has {length} characters, {(minimum ? "fewer" : "more")} than the {(minimum ? "minimum" : "maximum")} of {limit}");
        }
    }

    private void CheckPattern(JsonElement pattern, string at, JsonElement instance, string path)
    {
        if (instance.ValueKind == JsonValueKind.String && !EcmaRegex.IsMatch(pattern.GetString() ?? "", instance.GetString()!))
        {
            Fail(path, at, $"{Show(instance)} does not match the pattern {pattern.GetString()}");
        }
    }

    private void CheckFormat(JsonElement format, string at, JsonElement instance, string path)
    {
        var name = format.GetString() ?? "";
        if (!SchemaFormats.IsKnown(name))
        {
            validator.NoteUnknownFormat(name);
            return;
        }
        var problem = instance.ValueKind switch
        {
            JsonValueKind.String => SchemaFormats.StringProblem(name, instance.GetString()!),
            JsonValueKind.Number => SchemaFormats.NumberProblem(name, instance),
            _ => null,
        };
        if (problem is not null)
        {
            Fail(path, at, $"{Show(instance)} {problem}");
        }
    }
}
