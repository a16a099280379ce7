using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Gatehouse.Testing.OpenApi;

/// <summary>
/// An OpenAPI 3.0 or 3.1 document (YAML or JSON), for checking response bodies against it:
/// finds an operation by method and path template as the spec writes them, the schema of a
/// response by status and content type, and validates against it.
/// </summary>
public sealed partial class OpenApiDocument
{
    private const string Paths = "#/paths";
    private const string ComponentSchemas = "#/components/schemas";
    private static readonly string[] s_methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    private OpenApiDocument(JsonElement root)
    {
        var version = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("openapi", out var field) && field.ValueKind == JsonValueKind.String
            ? field.GetString()!
            : null;
        if (version is null || !version.StartsWith("3.", StringComparison.Ordinal))
        {
            throw new FormatException($"Not an OpenAPI 3.x document (openapi: {version ?? "missing"}).");
        }
        Version = version;
        Schemas = new JsonSchemaValidator(root);
    }

    public static OpenApiDocument Load(string path) => new(SchemaText.Load(path));

    public static OpenApiDocument Parse(string yamlOrJson) => new(SchemaText.Parse(yamlOrJson));

    /// <summary>The document's <c>openapi</c> field, such as 3.0.0.</summary>
    public string Version { get; }

    /// <summary>The document as JSON.</summary>
    public JsonElement Root => Schemas.Document;

    /// <summary>The validator for the document's schemas, and what it did not check.</summary>
    public JsonSchemaValidator Schemas { get; }

    /// <summary>The operation object of <paramref name="method"/> (any case) on <paramref name="pathTemplate"/>, such as <c>/control-planes/{controlPlaneId}</c>.</summary>
    public JsonElement Operation(string method, string pathTemplate) => Schemas.Resolve(OperationPointer(method, pathTemplate));

    /// <summary>
    /// Where the schema of a response body is: the response for the exact status, else its range
    /// (<c>4XX</c>), else <c>default</c>; then the content type, exact, else any JSON type for a JSON
    /// one (<c>application/problem+json</c> and <c>application/json</c>), else a wildcard.
    /// Response <c>$ref</c>s are followed.
    /// </summary>
    public string ResponseSchemaPointer(string method, string pathTemplate, int status, string contentType)
    {
        var operation = OperationPointer(method, pathTemplate);
        var what = $"{method.ToUpperInvariant()} {pathTemplate}";
        var responsesPointer = JsonPointer.Append(operation, "responses");
        if (!JsonPointer.TryResolve(Root, responsesPointer, out var responses) || responses.ValueKind != JsonValueKind.Object)
        {
            throw new KeyNotFoundException($"{what} declares no responses.");
        }
        var code = PickStatus(responses, status)
            ?? throw new KeyNotFoundException($"{what} declares no response for {status} (nor {status / 100}XX or default), only {Names(responses)}.");
        var responsePointer = FollowReferences(JsonPointer.Append(responsesPointer, code));
        if (!Schemas.Resolve(responsePointer).TryGetProperty("content", out var content)
            || content.ValueKind != JsonValueKind.Object || !content.EnumerateObject().Any())
        {
            throw new KeyNotFoundException($"The {code} response of {what} declares no body.");
        }
        var mediaType = PickMediaType(content, contentType)
            ?? throw new KeyNotFoundException($"The {code} response of {what} declares no {contentType} body, only {Names(content)}.");
        var schema = JsonPointer.Append(JsonPointer.Append(JsonPointer.Append(responsePointer, "content"), mediaType), "schema");
        return JsonPointer.TryResolve(Root, schema, out _)
            ? schema
            : throw new KeyNotFoundException($"The {code} {mediaType} response of {what} declares no schema.");
    }

    /// <summary>Where <c>components.schemas.<paramref name="name"/></c> is.</summary>
    public string ComponentSchemaPointer(string name)
    {
        var pointer = JsonPointer.Append(ComponentSchemas, name);
        return JsonPointer.TryResolve(Root, pointer, out _)
            ? pointer
            : throw new KeyNotFoundException($"The document has no schema '{name}' in components.schemas.");
    }

    /// <summary>Every way <paramref name="body"/> fails the schema <see cref="ResponseSchemaPointer"/> finds; empty if it is valid.</summary>
    public IReadOnlyList<SchemaError> ValidateResponse(string method, string pathTemplate, int status, string contentType, JsonElement body) =>
        Schemas.Validate(ResponseSchemaPointer(method, pathTemplate, status, contentType), body);

    /// <summary>Every way <paramref name="instance"/> fails <c>components.schemas.<paramref name="schemaName"/></c>.</summary>
    public IReadOnlyList<SchemaError> ValidateComponent(string schemaName, JsonElement instance) =>
        Schemas.Validate(ComponentSchemaPointer(schemaName), instance);

    private string OperationPointer(string method, string pathTemplate)
    {
        var pathPointer = JsonPointer.Append(Paths, pathTemplate);
        if (!JsonPointer.TryResolve(Root, pathPointer, out var pathItem))
        {
            throw new KeyNotFoundException($"The document has no path '{pathTemplate}'.{Suggest(pathTemplate)}");
        }
        var operation = JsonPointer.Append(pathPointer, method.ToLowerInvariant());
        return JsonPointer.TryResolve(Root, operation, out _)
            ? operation
            : throw new KeyNotFoundException(
                $"The document has no {method.ToUpperInvariant()} on '{pathTemplate}', only {string.Join(", ", pathItem.EnumerateObject().Select(member => member.Name).Where(s_methods.Contains))}.");
    }

    // Writing the server's base path (/v2/control-planes/...) or other parameter names is the
    // likely slip: name the paths of the same shape.
    private string Suggest(string pathTemplate)
    {
        var shape = Shape(pathTemplate);
        var near = Root.GetProperty("paths").EnumerateObject()
            .Select(path => path.Name)
            .Where(path => shape.EndsWith(Shape(path), StringComparison.Ordinal))
            .ToList();
        return near.Count == 0 ? "" : $" Did you mean {string.Join(" or ", near)}? Paths are relative to the server URL.";
    }

    private static string Shape(string pathTemplate) => PathParameter().Replace(pathTemplate, "{}");

    private string FollowReferences(string pointer)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (Schemas.Resolve(pointer) is { ValueKind: JsonValueKind.Object } node && node.TryGetProperty("$ref", out var reference))
        {
            if (!seen.Add(pointer))
            {
                throw new InvalidOperationException($"The $refs from {pointer} go round in a circle.");
            }
            pointer = reference.GetString() ?? throw new InvalidOperationException($"The $ref at {pointer} is not a string.");
        }
        return pointer;
    }

    private static string? PickStatus(JsonElement responses, int status)
    {
        var exact = status.ToString(CultureInfo.InvariantCulture);
        var range = $"{status / 100}XX";
        var codes = responses.EnumerateObject().Select(response => response.Name).ToList();
        return codes.FirstOrDefault(code => code == exact)
            ?? codes.FirstOrDefault(code => string.Equals(code, range, StringComparison.OrdinalIgnoreCase))
            ?? codes.FirstOrDefault(code => code == "default");
    }

    private static string? PickMediaType(JsonElement content, string contentType)
    {
        var wanted = Essence(contentType);
        var declared = content.EnumerateObject().Select(media => media.Name).ToList();
        return declared.FirstOrDefault(media => Essence(media) == wanted)
            ?? (IsJson(wanted) ? declared.FirstOrDefault(media => IsJson(Essence(media))) : null)
            ?? declared.FirstOrDefault(media => Essence(media) == wanted.Split('/')[0] + "/*")
            ?? declared.FirstOrDefault(media => Essence(media) == "*/*");
    }

    /// <summary>The media type without parameters such as charset, in lower case.</summary>
    private static string Essence(string mediaType) => mediaType.Split(';')[0].Trim().ToLowerInvariant();

    // application/json and its structured-syntax relatives such as application/problem+json carry the same JSON.
    private static bool IsJson(string essence) =>
        essence.EndsWith("/json", StringComparison.Ordinal) || essence.EndsWith("+json", StringComparison.Ordinal);

    private static string Names(JsonElement obj) => string.Join(", ", obj.EnumerateObject().Select(member => member.Name));

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex PathParameter();
}
