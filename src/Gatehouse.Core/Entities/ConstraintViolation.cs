using System.Text;
using System.Text.Json.Nodes;

namespace Gatehouse.Core.Entities;

/// <summary>
/// A rule of Kong's that a write or an import breaks, worded as Kong words it
/// (kong/db/errors.lua): how it is refused, the one-line message, and the fields it is on.
/// </summary>
public sealed record ConstraintViolation(Rejection Kind, string Message, IReadOnlyList<FieldError> Errors)
{
    public EntityRejectedException ToException() => new(Kind, Message, Errors);

    /// <summary>errors.lua <c>schema_violation</c>: "schema violation (...)" or "N schema violations (...; ...)".</summary>
    public static ConstraintViolation Schema(IReadOnlyList<FieldError> errors)
    {
        var entries = errors.Where(e => e.Path is null).Select(e => e.Message)
            .Concat(errors.Where(e => e.Path is not null).OrderBy(e => e.Path, StringComparer.Ordinal).Select(e => $"{e.Path}: {e.Message}"))
            .ToList();
        var text = new StringBuilder(entries.Count == 1 ? "schema violation (" : $"{entries.Count} schema violations (");
        return new(Rejection.Invalid, text.AppendJoin("; ", entries).Append(')').ToString(), errors);
    }

    /// <summary>errors.lua <c>foreign_key_violation_invalid_reference</c>, one per foreign key naming nothing; the first is the message.</summary>
    public static ConstraintViolation MissingReferences(IReadOnlyList<(Field Field, string ParentId)> missing)
    {
        var errors = missing
            .Select(m => new FieldError(m.Field.Name, $"the foreign key '{{id=\"{m.ParentId}\"}}' does not reference an existing '{m.Field.Reference}' entity."))
            .ToList();
        return new(Rejection.Reference, errors[0].Message, errors);
    }

    /// <summary>errors.lua <c>unique_violation</c>: the value, or every field of the cache key, as Kong prints it.</summary>
    public static ConstraintViolation Unique(EntitySchema schema, JsonObject entity, string field, string value)
    {
        var cacheKey = field == EntityIndexes.CacheKey;
        var message = $"UNIQUE violation detected on '{(cacheKey ? CacheKeyText(schema, entity) : $"{{{field}=\"{value}\"}}")}'";
        return new(Rejection.Conflict, message, [new FieldError(cacheKey ? null : field, message)]);
    }

    /// <summary>errors.lua <c>foreign_key_violation_restricted</c>: a delete refused while a restricting reference remains.</summary>
    public static ConstraintViolation ReferencedBy(EntitySchema parent, EntitySchema child) =>
        new(Rejection.InUse, $"an existing '{child.Name}' entity references this '{parent.Name}' entity", [new FieldError("@referenced_by", child.Name)]);

    /// <summary>errors.lua <c>foreign_keys_unresolved</c>, for one field: a reference by endpoint key that names nothing.</summary>
    public static string Unresolved(EntitySchema parent, string keyField, string keyValue) =>
        $"the foreign key cannot be resolved with '{{{keyField}=\"{keyValue}\"}}' for an existing '{parent.Name}' entity";

    /// <summary>Kong's rendering of a cache key: <c>{consumer=null,name="key-auth",service={id="…"}}</c>, keys sorted.</summary>
    private static string CacheKeyText(EntitySchema schema, JsonObject entity)
    {
        var parts = schema.CacheKey!.Order(StringComparer.Ordinal).Select(name => entity[name] switch
        {
            null => $"{name}=null",
            JsonObject reference => $"{name}={{id=\"{reference["id"]}\"}}",
            var value => $"{name}={value.ToJsonString()}",
        });
        return "{" + string.Join(',', parts) + "}";
    }
}
