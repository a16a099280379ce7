using System.Collections.Frozen;
using System.Text.Json;

namespace Gatehouse.Testing.OpenApi;

/// <summary>
/// One validation of one instance: walks schema and instance together and collects every error.
/// The keyword groups live in the other ValidationRun files.
/// </summary>
internal sealed partial class ValidationRun(JsonSchemaValidator validator)
{
    // Keywords that describe rather than constrain; they are skipped without being reported as unknown.
    // readOnly and writeOnly say what a client may send, which a response check has no use for.
    private static readonly FrozenSet<string> s_annotations = FrozenSet.Create(
        StringComparer.Ordinal,
        "title", "description", "default", "example", "examples", "deprecated", "readOnly", "writeOnly",
        "discriminator", "externalDocs", "xml", "$schema", "$id", "$comment", "definitions", "$defs");

    // The (schema, instance location) pairs under check through a $ref. Meeting one again means a
    // cycle of references that consumed none of the instance: the outer check already covers it,
    // and following it would never end. Recursion that descends into the instance is not a cycle.
    private readonly HashSet<string> _activeReferences = new(StringComparer.Ordinal);
    private List<SchemaError> _errors = [];

    public List<SchemaError> Run(string schemaPointer, JsonElement instance)
    {
        Check(validator.Resolve(schemaPointer), schemaPointer, instance, InstancePath.Root);
        return _errors;
    }

    private void Check(JsonElement schema, string at, JsonElement instance, string path)
    {
        switch (schema.ValueKind)
        {
            case JsonValueKind.True:
                return;
            case JsonValueKind.False:
                Fail(path, at, "no value is allowed here (the schema is false)");
                return;
            case JsonValueKind.Object:
                break;
            default:
                throw new InvalidOperationException($"{at} is a {schema.ValueKind}, not a schema.");
        }

        // OpenAPI 3.0's nullable, which the 3.1 config spec uses as well, lets null past type and enum
        // (the specs pair it with enums that do not list null).
        var nullAllowed = instance.ValueKind == JsonValueKind.Null
            && schema.TryGetProperty("nullable", out var nullable) && nullable.ValueKind == JsonValueKind.True;

        foreach (var keyword in schema.EnumerateObject())
        {
            var value = keyword.Value;
            var keywordAt = JsonPointer.Append(at, keyword.Name);
            switch (keyword.Name)
            {
                case "$ref": CheckReference(value, keywordAt, instance, path); break;
                case "type" when !nullAllowed: CheckType(value, keywordAt, instance, path); break;
                case "enum" when !nullAllowed: CheckEnum(value, keywordAt, instance, path); break;
                case "type" or "enum" or "nullable": break;
                case "const": CheckConst(value, keywordAt, instance, path); break;
                case "allOf": CheckAllOf(value, keywordAt, instance, path); break;
                case "anyOf": CheckAnyOf(value, keywordAt, instance, path); break;
                case "oneOf": CheckOneOf(value, keywordAt, instance, path); break;
                case "not": CheckNot(value, keywordAt, instance, path); break;
                case "if": CheckIf(schema, value, at, instance, path); break;
                case "then" or "else": break;
                case "properties": CheckProperties(value, keywordAt, instance, path); break;
                case "patternProperties": CheckPatternProperties(value, keywordAt, instance, path); break;
                case "additionalProperties": CheckAdditionalProperties(schema, value, keywordAt, instance, path); break;
                case "required": CheckRequired(value, keywordAt, instance, path); break;
                case "minProperties": CheckPropertyCount(value, keywordAt, instance, path, minimum: true); break;
                case "maxProperties": CheckPropertyCount(value, keywordAt, instance, path, minimum: false); break;
                case "items": CheckItems(value, keywordAt, instance, path); break;
                case "minItems": CheckItemCount(value, keywordAt, instance, path, minimum: true); break;
                case "maxItems": CheckItemCount(value, keywordAt, instance, path, minimum: false); break;
                case "uniqueItems": CheckUniqueItems(value, keywordAt, instance, path); break;
                case "minLength": CheckLength(value, keywordAt, instance, path, minimum: true); break;
                case "maxLength": CheckLength(value, keywordAt, instance, path, minimum: false); break;
                case "pattern": CheckPattern(value, keywordAt, instance, path); break;
                case "format": CheckFormat(value, keywordAt, instance, path); break;
                case "minimum": CheckMinimum(schema, value, keywordAt, instance, path); break;
                case "maximum": CheckMaximum(schema, value, keywordAt, instance, path); break;
                case "exclusiveMinimum": CheckExclusiveBound(value, keywordAt, instance, path, minimum: true); break;
                case "exclusiveMaximum": CheckExclusiveBound(value, keywordAt, instance, path, minimum: false); break;
                case "multipleOf": CheckMultipleOf(value, keywordAt, instance, path); break;
                default: NoteIfUnknown(keyword.Name); break;
            }
        }
    }

    private void CheckReference(JsonElement reference, string at, JsonElement instance, string path)
    {
        var target = reference.GetString() ?? throw new InvalidOperationException($"The $ref at {at} is not a string.");
        var key = target + "\n" + path;
        if (!_activeReferences.Add(key))
        {
            return;
        }
        try
        {
            Check(validator.Resolve(target), target, instance, path);
        }
        finally
        {
            _activeReferences.Remove(key);
        }
    }

    private void NoteIfUnknown(string keyword)
    {
        if (!keyword.StartsWith("x-", StringComparison.Ordinal) && !s_annotations.Contains(keyword))
        {
            validator.NoteUnknownKeyword(keyword);
        }
    }

    private void Fail(string path, string at, string reason) => _errors.Add(new SchemaError(path, reason, at));

    /// <summary>The errors <paramref name="schema"/> alone finds, for keywords that weigh several schemas.</summary>
    private List<SchemaError> Trial(JsonElement schema, string at, JsonElement instance, string path)
    {
        var outer = _errors;
        _errors = [];
        try
        {
            Check(schema, at, instance, path);
            return _errors;
        }
        finally
        {
            _errors = outer;
        }
    }
}
