using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gatehouse.Core.Entities;

public enum WriteMode
{
    /// <summary>POST: a new entity; defaults fill what is missing.</summary>
    Insert,

    /// <summary>PUT: the whole entity; defaults fill what is missing, nothing of the old one is kept but its id.</summary>
    Upsert,

    /// <summary>PATCH: merged into the existing entity (records deeply, everything else replaced).</summary>
    Update,
}

/// <summary>
/// Kong's write pipeline for one entity, without storage: unknown fields, shorthands, ids and
/// timestamps, defaults or the merge, field validation in Kong's order with Kong's messages,
/// entity checks, then normalization. The result has every schema field, in schema order,
/// with null for what is unset — what Kong's Admin API answers.
/// </summary>
public sealed class EntityProcessor(TimeProvider clock)
{
    /// <summary>The time writes are stamped with.</summary>
    public DateTimeOffset Now => clock.GetUtcNow();

    public (JsonObject? Entity, IReadOnlyList<FieldError> Errors) Prepare(
        EntitySchema schema, JsonObject input, WriteMode mode, JsonObject? existing = null, IReadOnlySet<string>? extraInputs = null,
        WriteOptions? options = null)
    {
        options ??= WriteOptions.Declarative;
        if (schema.Undetermined?.Invoke(input, existing) is { } undetermined)
        {
            return (null, [undetermined]);
        }
        schema = schema.For(input, existing);
        var errors = new List<FieldError>();
        var body = (JsonObject)input.DeepClone();

        // Shorthands first: they consume their own keys (a service's url) before unknown keys are sought.
        if (schema.Shorthands is not null)
        {
            errors.AddRange(schema.Shorthands(body));
        }
        foreach (var (name, _) in body)
        {
            if (schema.Find(name) is null && extraInputs?.Contains(name) != true)
            {
                errors.Add(new FieldError(name, "unknown field"));
            }
        }
        foreach (var field in schema.Fields)
        {
            if (body[field.Name] is JsonObject record)
            {
                Shorthands.Expand(field, record, field.Name, errors);
            }
        }

        JsonNode now = schema.TimestampsInMilliseconds
            ? JsonValue.Create(Math.Round(clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0, 3))
            : JsonValue.Create(clock.GetUtcNow().ToUnixTimeSeconds());
        var entity = new JsonObject();
        foreach (var field in schema.Fields)
        {
            var given = body.TryGetPropertyValue(field.Name, out var value);
            switch (field.Name)
            {
                case "id":
                    entity["id"] = Id(mode, given ? value : null, existing, errors);
                    continue;
                case "created_at":
                    entity["created_at"] = mode == WriteMode.Update
                        ? existing?["created_at"]?.DeepClone() ?? now.DeepClone()
                        : given && value is not null ? SuppliedTimestamp(value, schema.TimestampsInMilliseconds, errors) : now.DeepClone();
                    continue;
                case "updated_at":
                    entity["updated_at"] = now.DeepClone();
                    continue;
                case TimeToLive.Field when schema.Ttl && options.RelativeTtl && given:
                    var createdAt = entity["created_at"] is { } stamp && Validators.TryInteger(stamp, out var seconds) ? seconds : clock.GetUtcNow().ToUnixTimeSeconds();
                    entity[field.Name] = value is null ? null : TimeToLive.Expiry(value, createdAt, errors);
                    continue;
            }

            if (mode == WriteMode.Update && existing is not null)
            {
                var old = Stored(field, existing);
                entity[field.Name] = given ? Merge(field, old, value?.DeepClone()) : old;
            }
            else
            {
                // An explicit null stays null (Kong does not replace it with the default).
                entity[field.Name] = given
                    ? value is null ? null : WithDefaults(field, value.DeepClone())
                    : WithDefaults(field, DefaultOf(field));
            }
        }

        var output = new JsonObject();
        foreach (var field in schema.Fields)
        {
            var value = entity[field.Name]?.DeepClone();
            var validated = field.Auto ? value : Validate(field, value, field.Name, errors);
            if (validated is not null || !field.OmitWhenNull)
            {
                output[field.Name] = validated;
            }
        }

        var failed = errors.Where(e => e.Path is not null).Select(e => e.Path!).ToList();
        var context = new CheckContext(mode == WriteMode.Update)
        {
            HasError = path => failed.Any(f => f == path || f.StartsWith(path + ".", StringComparison.Ordinal) || f.StartsWith(path + "[", StringComparison.Ordinal)),
        };
        foreach (var check in schema.Checks)
        {
            errors.AddRange(check(output, context));
        }
        DropReplacedErrors(errors);
        if (!options.Transform && schema.CheckTransformed is { } transformed && errors.Count == 0)
        {
            errors.AddRange(transformed(output));
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }
        schema.Normalize?.Invoke(output);
        if (options.Transform)
        {
            schema.Transform?.Invoke(output);
        }
        return (output, errors);
    }

    /// <summary>Drops each error that a later one <see cref="FieldError.Replaces"/> on the same path.</summary>
    private static void DropReplacedErrors(List<FieldError> errors)
    {
        if (!errors.Any(e => e.Replaces))
        {
            return;
        }
        var kept = errors.Where((error, i) => !errors.Skip(i + 1).Any(later => later.Replaces && later.Path == error.Path)).ToList();
        errors.Clear();
        errors.AddRange(kept);
    }

    private static JsonNode? Id(WriteMode mode, JsonNode? given, JsonObject? existing, List<FieldError> errors)
    {
        if (existing?["id"] is { } existingId)
        {
            if (given is not null && !(given.GetValueKind() == JsonValueKind.String
                && string.Equals(given.GetValue<string>(), existingId.GetValue<string>(), StringComparison.OrdinalIgnoreCase)))
            {
                errors.Add(new FieldError("id", "cannot be changed"));
            }
            return existingId.DeepClone();
        }
        if (given is null)
        {
            return Guid.NewGuid().ToString();
        }
        if (given.GetValueKind() == JsonValueKind.String && Validators.IsUuid(given.GetValue<string>()))
        {
            return given.GetValue<string>().ToLowerInvariant();
        }
        errors.Add(new FieldError("id", "expected a valid UUID"));
        return given.DeepClone();
    }

    /// <summary>A client may supply created_at (decK does, to keep it across syncs): a positive timestamp, whole seconds unless the schema keeps milliseconds.</summary>
    private static JsonNode SuppliedTimestamp(JsonNode value, bool milliseconds, List<FieldError> errors)
    {
        var valid = milliseconds
            ? value.GetValueKind() == JsonValueKind.Number && Validators.AsDouble(value) > 0
            : Validators.TryInteger(value, out var seconds) && seconds > 0;
        if (!valid)
        {
            errors.Add(new FieldError("created_at", "expected a valid timestamp"));
            return value.DeepClone();
        }
        return milliseconds ? value.DeepClone() : JsonValue.Create(Validators.TryInteger(value, out var whole) ? whole : 0);
    }

    /// <summary>
    /// A PATCH's starting point: the stored value, with the defaults of what the stored entity
    /// lacks filled in, as an insert would have. Gatehouse writes every field, so only a row
    /// stored before its schema knew a field lacks one (a plugin whose config was kept as given);
    /// filled here, the merged result is judged on what the patch changes, not on defaults the row
    /// never got. An explicit null stays null.
    /// </summary>
    private static JsonNode? Stored(Field field, JsonObject existing) => existing.TryGetPropertyValue(field.Name, out var stored)
        ? stored is JsonObject ? WithDefaults(field, stored.DeepClone()) : stored?.DeepClone()
        : WithDefaults(field, DefaultOf(field));

    /// <summary>Records merge deeply on PATCH; every other value is replaced.</summary>
    private static JsonNode? Merge(Field field, JsonNode? old, JsonNode? patch)
    {
        if (field.Type == FieldType.Record && field.Fields is { } subfields && old is JsonObject oldRecord && patch is JsonObject patchRecord)
        {
            var merged = new JsonObject();
            foreach (var sub in subfields)
            {
                var given = patchRecord.TryGetPropertyValue(sub.Name, out var value);
                merged[sub.Name] = given ? Merge(sub, oldRecord[sub.Name]?.DeepClone(), value?.DeepClone()) : oldRecord[sub.Name]?.DeepClone();
            }
            foreach (var (name, value) in patchRecord)
            {
                if (!merged.ContainsKey(name))
                {
                    merged[name] = value?.DeepClone();
                }
            }
            return merged;
        }
        return WithDefaults(field, patch);
    }

    /// <summary>A record given in part (or left out, with a record default) gets its nested defaults and nulls; so do the records an array holds.</summary>
    private static JsonNode? WithDefaults(Field field, JsonNode? value)
    {
        if (field.Type != FieldType.Record || field.Fields is not { } subfields)
        {
            return WithElementDefaults(field, value);
        }
        if (value is null)
        {
            if (field.Optional)
            {
                return null;
            }
            // Kong treats records as required: a missing record is built from its sub-defaults.
            value = new JsonObject();
        }
        if (value is not JsonObject record)
        {
            return value;
        }
        foreach (var sub in subfields)
        {
            if (!record.ContainsKey(sub.Name))
            {
                record[sub.Name] = WithDefaults(sub, DefaultOf(sub));
            }
            else if (sub.Type == FieldType.Record && record[sub.Name] is JsonObject nested)
            {
                // Fills in place: the nested record is already a child of this one.
                WithDefaults(sub, nested);
            }
            else
            {
                WithElementDefaults(sub, record[sub.Name]);
            }
        }
        return record;
    }

    /// <summary>
    /// The records of an array or set get their defaults too (Kong's adjust_field_for_context
    /// walks elements, si:1663-1682): an ai-prompt-decorator message without a role is a
    /// "system" message. A null element stays null, to be refused as missing. Fills in place.
    /// </summary>
    private static JsonNode? WithElementDefaults(Field field, JsonNode? value)
    {
        if (field.Type is FieldType.Array or FieldType.Set && field.Elements is { Type: FieldType.Record } elements && value is JsonArray array)
        {
            foreach (var element in array.OfType<JsonObject>())
            {
                WithDefaults(elements, element);
            }
        }
        return value;
    }

    /// <summary>What a field left out becomes: a freshly generated value, or a copy of its default.</summary>
    private static JsonNode? DefaultOf(Field field) => field.Generate is { } generate ? generate() : field.Default?.DeepClone();

    /// <summary>Validates one value, returning it normalized (5.0 → 5, sets without repeats).</summary>
    internal static JsonNode? Validate(Field field, JsonNode? value, string path, List<FieldError> errors)
    {
        if (value is null)
        {
            if (field.Required || (field.Type == FieldType.Record && !field.Optional))
            {
                errors.Add(new FieldError(path, "required field missing"));
            }
            return null;
        }
        if (field.MustBeNull)
        {
            return Fail(errors, path, "value must be null", value);
        }

        switch (field.Type)
        {
            case FieldType.String when value.GetValueKind() != JsonValueKind.String:
                return Fail(errors, path, "expected a string", value);
            case FieldType.String when field.Referenceable && IsVaultReference(value.GetValue<string>()):
                return value;
            case FieldType.String when value.GetValue<string>().Length == 0 && !field.EmptyAllowed:
                // Kong strings have len_min = 1 unless a schema says otherwise.
                return Fail(errors, path, "length must be at least 1", value);
            case FieldType.Integer:
                if (!Validators.TryInteger(value, out var integer))
                {
                    return Fail(errors, path, "expected an integer", value);
                }
                value = JsonValue.Create(integer);
                break;
            case FieldType.Number when value.GetValueKind() != JsonValueKind.Number:
                return Fail(errors, path, "expected a number", value);
            case FieldType.Boolean when value.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False):
                return Fail(errors, path, "expected a boolean", value);
            case FieldType.Array or FieldType.Set:
                if (value is not JsonArray array)
                {
                    return Fail(errors, path, field.Type == FieldType.Set ? "expected a set" : "expected an array", value);
                }
                var elementErrors = errors.Count;
                value = ValidateElements(field, array, path, errors);
                // As for records: Kong runs a container's own validators only when its contents are valid (si:909-946).
                if (errors.Count > elementErrors)
                {
                    return value;
                }
                break;
            case FieldType.Map:
                if (value is not JsonObject map)
                {
                    return Fail(errors, path, "expected a map", value);
                }
                var entryErrors = errors.Count;
                value = ValidateMap(field, map, path, errors);
                if (errors.Count > entryErrors)
                {
                    return value;
                }
                break;
            case FieldType.Record:
                if (value is not JsonObject record)
                {
                    return Fail(errors, path, "expected a record", value);
                }
                if (field.FreeForm)
                {
                    return record;
                }
                var before = errors.Count;
                value = ValidateRecord(field, record, path, errors);
                // A record's own validator (Kong's custom_validator on a record) sees only a valid record.
                if (errors.Count > before)
                {
                    return value;
                }
                break;
            case FieldType.Foreign:
                return ValidateForeign(value, path, errors);
        }

        foreach (var validator in field.Validators)
        {
            if (validator(value) is { } message)
            {
                errors.Add(new FieldError(path, message));
                break;
            }
        }
        return value;
    }

    /// <summary>Kong's is_reference (kong/pdk/vault.lua): <c>{vault://…}</c>.</summary>
    public static bool IsVaultReference(string value) =>
        value.StartsWith("{vault://", StringComparison.Ordinal) && value.EndsWith('}');

    private static JsonArray ValidateElements(Field field, JsonArray array, string path, List<FieldError> errors)
    {
        var element = (field.Elements ?? new Field("item", FieldType.String)) with { Required = true };
        var result = new JsonArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < array.Count; i++)
        {
            var validated = Validate(element, array[i]?.DeepClone(), $"{path}[{i}]", errors);
            // Sets keep the first of repeated values, as Kong does on write.
            if (field.Type == FieldType.Set && !seen.Add(validated?.ToJsonString() ?? "null"))
            {
                continue;
            }
            result.Add(validated);
        }
        return result;
    }

    /// <summary>
    /// Kong reports a map's first bad key or value as the error of the map itself, not of the
    /// entry (si:930-946): <c>{"config":{"headers":"cannot contain 'Host' header"}}</c>.
    /// </summary>
    private static JsonObject ValidateMap(Field field, JsonObject map, string path, List<FieldError> errors)
    {
        var result = new JsonObject();
        var values = (field.Elements ?? new Field("value", FieldType.String)) with { Required = true };
        var before = errors.Count;
        foreach (var (key, item) in map)
        {
            if (field.Keys is { } keys)
            {
                Validate(keys with { Required = true }, JsonValue.Create(key), path, errors);
            }
            if (errors.Count == before)
            {
                result[key] = Validate(values, item?.DeepClone(), path, errors);
            }
            if (errors.Count > before)
            {
                break;
            }
        }
        return result;
    }

    private static JsonObject ValidateRecord(Field field, JsonObject record, string path, List<FieldError> errors)
    {
        var before = errors.Count;
        var result = new JsonObject();
        var subfields = field.Fields ?? [];
        foreach (var (name, _) in record)
        {
            if (subfields.All(f => f.Name != name))
            {
                errors.Add(new FieldError($"{path}.{name}", "unknown field"));
            }
        }
        foreach (var sub in subfields)
        {
            var validated = Validate(sub, record[sub.Name]?.DeepClone(), $"{path}.{sub.Name}", errors);
            if (validated is not null || !sub.OmitWhenNull)
            {
                result[sub.Name] = validated;
            }
        }
        var context = new CheckContext(false) { HasError = FailedWithin(errors, before, path) };
        foreach (var check in field.RecordChecks ?? [])
        {
            errors.AddRange(check(result, context).Select(e => e with { Path = e.Path is null ? path : $"{path}.{e.Path}" }));
        }
        return result;
    }

    /// <summary>
    /// Whether a field of the record at <paramref name="recordPath"/> (named relative to it) failed
    /// since <paramref name="from"/>: a record's custom entity check skips failed sources as the
    /// entity's do (si:1323-1329).
    /// </summary>
    private static Func<string, bool> FailedWithin(List<FieldError> errors, int from, string recordPath) => name =>
    {
        var full = $"{recordPath}.{name}";
        return errors.Skip(from).Any(e => e.Path is { } p
            && (p == full || p.StartsWith(full + ".", StringComparison.Ordinal) || p.StartsWith(full + "[", StringComparison.Ordinal)));
    };

    private static JsonNode ValidateForeign(JsonNode value, string path, List<FieldError> errors)
    {
        if (value is not JsonObject reference || !reference.TryGetPropertyValue("id", out var id) || id is null)
        {
            errors.Add(new FieldError($"{path}.id", "missing primary key"));
            return value;
        }
        if (Validators.Uuid(id) is { } message)
        {
            errors.Add(new FieldError($"{path}.id", message));
            return value;
        }
        if (reference.Count > 1)
        {
            errors.Add(new FieldError(path, "a reference holds only an id"));
        }
        return new JsonObject { ["id"] = id.GetValue<string>().ToLowerInvariant() };
    }

    private static JsonNode Fail(List<FieldError> errors, string path, string message, JsonNode value)
    {
        errors.Add(new FieldError(path, message));
        return value;
    }
}
