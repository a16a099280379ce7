using System.Collections.Concurrent;
using System.Text.Json;

namespace Gatehouse.Testing.OpenApi;

/// <summary>
/// Validates JSON against the schemas in one document: a plain JSON Schema (draft 4 and later, as
/// far as the keywords go) or an OpenAPI 3.0/3.1 document, whose local <c>$ref</c>s resolve
/// against that document. Keywords it does not check are ignored and listed in
/// <see cref="UnknownKeywords"/>, formats in <see cref="UnknownFormats"/>.
/// </summary>
public sealed class JsonSchemaValidator
{
    private readonly ConcurrentDictionary<string, bool> _unknownKeywords = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _unknownFormats = new(StringComparer.Ordinal);

    public JsonSchemaValidator(JsonElement document) => Document = document.Clone();

    /// <summary>A JSON or YAML file holding a JSON Schema.</summary>
    public static JsonSchemaValidator Load(string path) => new(SchemaText.Load(path));

    /// <summary>The whole document; every <c>$ref</c> resolves against it.</summary>
    public JsonElement Document { get; }

    /// <summary>Keywords met while validating that were not checked (annotations and <c>x-</c> extensions aside).</summary>
    public IReadOnlyList<string> UnknownKeywords => [.. _unknownKeywords.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Values of <c>format</c> met while validating that were not checked.</summary>
    public IReadOnlyList<string> UnknownFormats => [.. _unknownFormats.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The node at a local reference such as <c>#/definitions/FService</c>.</summary>
    public JsonElement Resolve(string pointer) => JsonPointer.Resolve(Document, pointer);

    /// <summary>Validates against the document itself, as for a plain JSON Schema.</summary>
    public IReadOnlyList<SchemaError> Validate(JsonElement instance) => Validate(JsonPointer.Root, instance);

    /// <summary>Validates against the schema at <paramref name="schemaPointer"/> (<c>#/components/schemas/ControlPlane</c>).</summary>
    public IReadOnlyList<SchemaError> Validate(string schemaPointer, JsonElement instance) =>
        new ValidationRun(this).Run(schemaPointer, instance);

    internal void NoteUnknownKeyword(string keyword) => _unknownKeywords.TryAdd(keyword, true);

    internal void NoteUnknownFormat(string format) => _unknownFormats.TryAdd(format, true);
}
