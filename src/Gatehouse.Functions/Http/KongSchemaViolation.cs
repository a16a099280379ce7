using System.Globalization;
using System.Text.Json.Nodes;
using Gatehouse.Core.Entities;

namespace Gatehouse.Functions.Http;

/// <summary>
/// Kong's own schema violation body (kong/db/errors.lua:222-268), the answer of Kong's
/// <c>/schemas/{entity}/validate</c>:
/// <c>{"code":2,"name":"schema violation","message":"schema violation (config.minute: expected a number)","fields":{"config":{"minute":"expected a number"}}}</c>.
/// </summary>
internal static class KongSchemaViolation
{
    public static JsonObject Body(IReadOnlyList<FieldError> errors) => new()
    {
        ["code"] = 2,
        ["name"] = "schema violation",
        ["message"] = ConstraintViolation.Schema(errors).Message,
        ["fields"] = Fields(errors),
    };

    /// <summary>
    /// Kong's error tree: each message at its field's path (<c>config.redis.host</c> nested as
    /// records, <c>config.allow[1]</c> at its place in an array), and the entity's own messages,
    /// or a record's beside its fields' errors, under <c>@entity</c>. Kong keeps one message per
    /// field, so a field's later messages are dropped.
    /// </summary>
    public static JsonObject Fields(IEnumerable<FieldError> errors)
    {
        var root = new JsonObject();
        foreach (var error in errors)
        {
            if (error.Path is null)
            {
                EntityMessages(root).Add(error.Message);
            }
            else
            {
                Place(root, Steps(error.Path), error.Message);
            }
        }
        return root;
    }

    private static void Place(JsonObject root, IReadOnlyList<Step> steps, string message)
    {
        JsonNode parent = root;
        for (var i = 0; i < steps.Count - 1; i++)
        {
            var child = Get(parent, steps[i]);
            if (child is null)
            {
                child = steps[i + 1].Index is null ? new JsonObject() : new JsonArray();
                Set(parent, steps[i], child);
            }
            else if (child is JsonValue && steps[i + 1].Index is null)
            {
                // The record itself failed too (a custom validator): its message joins @entity.
                var record = new JsonObject { ["@entity"] = new JsonArray(child.DeepClone()) };
                Set(parent, steps[i], record);
                child = record;
            }
            if (child is JsonValue || (child is JsonArray) != (steps[i + 1].Index is not null))
            {
                return;
            }
            parent = child;
        }
        switch (Get(parent, steps[^1]))
        {
            case null:
                Set(parent, steps[^1], message);
                break;
            case JsonObject record:
                EntityMessages(record).Add(message);
                break;
        }
    }

    private static JsonArray EntityMessages(JsonObject record)
    {
        if (record["@entity"] is not JsonArray messages)
        {
            messages = [];
            record["@entity"] = messages;
        }
        return messages;
    }

    private static JsonNode? Get(JsonNode parent, Step step) => parent switch
    {
        JsonObject record when step.Key is { } key => record[key],
        JsonArray array when step.Index is { } index && index < array.Count => array[index],
        _ => null,
    };

    private static void Set(JsonNode parent, Step step, JsonNode value)
    {
        if (parent is JsonObject record)
        {
            record[step.Key!] = value;
            return;
        }
        var array = (JsonArray)parent;
        while (array.Count <= step.Index)
        {
            array.Add(null);
        }
        array[step.Index!.Value] = value;
    }

    /// <summary>A dotted path with array positions (<c>config.allow[1]</c>) as its steps.</summary>
    private static List<Step> Steps(string path)
    {
        var steps = new List<Step>();
        foreach (var part in path.Split('.'))
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            steps.Add(new Step(bracket < 0 ? part : part[..bracket], null));
            while (bracket >= 0)
            {
                var close = part.IndexOf(']', bracket);
                if (close < 0 || !int.TryParse(part.AsSpan(bracket + 1, close - bracket - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    break;
                }
                steps.Add(new Step(null, index));
                bracket = part.IndexOf('[', close);
            }
        }
        return steps;
    }

    /// <summary>A record's field, or an array's position.</summary>
    private sealed record Step(string? Key, int? Index);
}
