using System.Globalization;
using System.Text.Json;
using Gatehouse.Testing.OpenApi;

namespace Gatehouse.Testing.Tests;

/// <summary>
/// Every example the Konnect specs give for a response body must pass the schema the spec gives
/// for it: hundreds of bodies written by Kong, a check of the validator against the specs' intent.
/// </summary>
public sealed class SpecExampleTests
{
    public static TheoryData<string> Specs => ["ControlPlanes", "ControlPlanesConfig"];

    [Theory]
    [MemberData(nameof(Specs))]
    public void Every_response_example_passes_its_schema(string name)
    {
        var spec = name == "ControlPlanes" ? ReferenceSpecs.ControlPlanes : ReferenceSpecs.ControlPlanesConfig;
        var checkedExamples = 0;
        var failures = new List<string>();
        foreach (var (method, path, status, mediaType, example, body) in ResponseExamples(spec))
        {
            checkedExamples++;
            failures.AddRange(spec.ValidateResponse(method, path, status, mediaType, body).Select(error => $"{method} {path} {status} {mediaType} '{example}': {error}"));
        }

        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"{checkedExamples} examples checked.");
        output?.WriteLine($"Keywords met but not checked: {string.Join(", ", spec.Schemas.UnknownKeywords.DefaultIfEmpty("none"))}.");
        output?.WriteLine($"Formats met but not checked: {string.Join(", ", spec.Schemas.UnknownFormats.DefaultIfEmpty("none"))}.");
        Assert.True(checkedExamples > 50, $"Only {checkedExamples} examples found.");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Empty(spec.Schemas.UnknownKeywords);
    }

    private static IEnumerable<(string Method, string Path, int Status, string MediaType, string Example, JsonElement Body)> ResponseExamples(OpenApiDocument spec)
    {
        foreach (var path in spec.Root.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(member => member.Value.ValueKind == JsonValueKind.Object && member.Value.TryGetProperty("responses", out _)))
            {
                foreach (var response in operation.Value.GetProperty("responses").EnumerateObject())
                {
                    var content = Dereference(spec, response.Value).TryGetProperty("content", out var declared) ? declared : default;
                    if (content.ValueKind != JsonValueKind.Object)
                    {
                        continue;
                    }
                    foreach (var media in content.EnumerateObject().Where(media => media.Value.TryGetProperty("examples", out _)))
                    {
                        foreach (var example in media.Value.GetProperty("examples").EnumerateObject())
                        {
                            if (Dereference(spec, example.Value).TryGetProperty("value", out var value))
                            {
                                yield return (operation.Name, path.Name, int.Parse(response.Name, CultureInfo.InvariantCulture), media.Name, example.Name, value);
                            }
                        }
                    }
                }
            }
        }
    }

    private static JsonElement Dereference(OpenApiDocument spec, JsonElement node)
    {
        while (node.TryGetProperty("$ref", out var reference))
        {
            node = spec.Schemas.Resolve(reference.GetString()!);
        }
        return node;
    }
}
