using System.Text.Json;

namespace Gatehouse.Testing.OpenApi;

/// <summary>allOf, anyOf, oneOf, not and if/then/else: schemas made of schemas.</summary>
internal sealed partial class ValidationRun
{
    // How many errors of each failed branch an anyOf or oneOf message repeats.
    private const int ErrorsShownPerBranch = 3;

    private void CheckAllOf(JsonElement branches, string at, JsonElement instance, string path)
    {
        var index = 0;
        foreach (var branch in branches.EnumerateArray())
        {
            Check(branch, JsonPointer.Append(at, index++), instance, path);
        }
    }

    private void CheckAnyOf(JsonElement branches, string at, JsonElement instance, string path)
    {
        var failures = new List<List<SchemaError>>();
        var index = 0;
        foreach (var branch in branches.EnumerateArray())
        {
            var errors = Trial(branch, JsonPointer.Append(at, index++), instance, path);
            if (errors.Count == 0)
            {
                return;
            }
            failures.Add(errors);
        }
        Fail(path, at, $"matches none of the {failures.Count} anyOf schemas: {Summarise(failures)}");
    }

    private void CheckOneOf(JsonElement branches, string at, JsonElement instance, string path)
    {
        var failures = new List<List<SchemaError>>();
        var matches = new List<int>();
        var index = 0;
        foreach (var branch in branches.EnumerateArray())
        {
            var errors = Trial(branch, JsonPointer.Append(at, index), instance, path);
            if (errors.Count == 0)
            {
                matches.Add(index);
            }
            failures.Add(errors);
            index++;
        }
        if (matches.Count == 0)
        {
            Fail(path, at, $"matches none of the {index} oneOf schemas: {Summarise(failures)}");
        }
        else if (matches.Count > 1)
        {
            Fail(path, at, $"matches {matches.Count} of the oneOf schemas ({string.Join(", ", matches.Select(i => $"[{i}]"))}), where exactly one must match");
        }
    }

    private void CheckNot(JsonElement schema, string at, JsonElement instance, string path)
    {
        if (Trial(schema, at, instance, path).Count == 0)
        {
            Fail(path, at, "matches the schema it must not match");
        }
    }

    // if/then/else (draft 7 and later): the instance must match "then" when it matches "if", else
    // "else"; "if" itself never fails. A then or else without an if means nothing.
    private void CheckIf(JsonElement schema, JsonElement condition, string at, JsonElement instance, string path)
    {
        var branch = Trial(condition, JsonPointer.Append(at, "if"), instance, path).Count == 0 ? "then" : "else";
        if (schema.TryGetProperty(branch, out var consequence))
        {
            Check(consequence, JsonPointer.Append(at, branch), instance, path);
        }
    }

    private static string Summarise(List<List<SchemaError>> failures) =>
        string.Join("; ", failures.Select((errors, index) =>
            $"[{index}] "
            + string.Join(", ", errors.Take(ErrorsShownPerBranch).Select(error => $"{error.Path} {error.Reason}"))
            + (errors.Count > ErrorsShownPerBranch ? $" (and {errors.Count - ErrorsShownPerBranch} more)" : "")));
}
