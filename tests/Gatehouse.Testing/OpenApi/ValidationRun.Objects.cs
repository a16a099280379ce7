using System.Text.Json;

namespace Gatehouse.Testing.OpenApi;

/// <summary>properties, patternProperties, additionalProperties, required, min/maxProperties.</summary>
internal sealed partial class ValidationRun
{
    private void CheckProperties(JsonElement properties, string at, JsonElement instance, string path)
    {
        if (instance.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        foreach (var property in instance.EnumerateObject())
        {
            if (properties.TryGetProperty(property.Name, out var schema))
            {
                Check(schema, JsonPointer.Append(at, property.Name), property.Value, InstancePath.Property(path, property.Name));
            }
        }
    }

    private void CheckPatternProperties(JsonElement patterns, string at, JsonElement instance, string path)
    {
        if (instance.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        foreach (var property in instance.EnumerateObject())
        {
            foreach (var pattern in patterns.EnumerateObject())
            {
                if (EcmaRegex.IsMatch(pattern.Name, property.Name))
                {
                    Check(pattern.Value, JsonPointer.Append(at, pattern.Name), property.Value, InstancePath.Property(path, property.Name));
                }
            }
        }
    }

    private void CheckAdditionalProperties(JsonElement schema, JsonElement additional, string at, JsonElement instance, string path)
    {
        if (instance.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        var properties = schema.TryGetProperty("properties", out var declared) ? declared : default;
        var patterns = schema.TryGetProperty("patternProperties", out var patterned) ? patterned : default;
        foreach (var property in instance.EnumerateObject())
        {
            if ((properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(property.Name, out _))
                || (patterns.ValueKind == JsonValueKind.Object && patterns.EnumerateObject().Any(pattern => EcmaRegex.IsMatch(pattern.Name, property.Name))))
            {
                continue;
            }
            var propertyPath = InstancePath.Property(path, property.Name);
            if (additional.ValueKind == JsonValueKind.False)
            {
                Fail(propertyPath, at, "is not a property the schema declares, and additionalProperties is false");
            }
            else
            {
                Check(additional, at, property.Value, propertyPath);
            }
        }
    }

    private void CheckRequired(JsonElement required, string at, JsonElement instance, string path)
    {
        if (instance.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        foreach (var name in required.EnumerateArray().Select(name => name.GetString() ?? ""))
        {
            if (!instance.TryGetProperty(name, out _))
            {
                Fail(InstancePath.Property(path, name), at, "is required but missing");
            }
        }
    }

    private void CheckPropertyCount(JsonElement bound, string at, JsonElement instance, string path, bool minimum)
    {
        if (instance.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        var count = instance.EnumerateObject().Count();
        var limit = bound.GetInt32();
        if (minimum ? count < limit : count > limit)
        {
            Fail(path, at, $"has {count} properties, {(minimum ? "fewer" : "more")} than the {(minimum ? "minimum" : "maximum")} of {limit}");
        }
    }
}
