using System.Text.Json;
using Gatehouse.Testing.OpenApi;

namespace Gatehouse.Testing.Tests;

internal static class Json
{
    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>The errors of <paramref name="instance"/> against <paramref name="schema"/>, both JSON text.</summary>
    public static IReadOnlyList<SchemaError> Errors(string schema, string instance) =>
        new JsonSchemaValidator(Parse(schema)).Validate(Parse(instance));

    /// <summary>Where the errors are, for tests that care about the path rather than the wording.</summary>
    public static string[] Paths(IReadOnlyList<SchemaError> errors) => [.. errors.Select(error => error.Path)];

    /// <summary>Asserts that <paramref name="instance"/> fails <paramref name="schema"/> exactly once, at <paramref name="errorPath"/>, or passes if it is null.</summary>
    public static void AssertOutcome(string schema, string instance, string? errorPath)
    {
        var errors = Errors(schema, instance);
        Assert.True(
            errorPath is null ? errors.Count == 0 : errors.Count == 1 && errors[0].Path == errorPath,
            $"Expected {(errorPath is null ? "no error" : $"one error at {errorPath}")}, got: [{string.Join("; ", errors)}]");
    }
}
