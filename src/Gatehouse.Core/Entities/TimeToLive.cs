using System.Text.Json.Nodes;

namespace Gatehouse.Core.Entities;

/// <summary>
/// Kong's entity ttl (<see cref="EntitySchema.Ttl"/>), kept as the Unix time the entity expires,
/// which is what a DB-less Kong reads from declarative config (kong/db/strategies/off/init.lua:56-66).
/// The Admin API speaks seconds: a write's ttl counts from the entity's created_at
/// (kong/db/strategies/postgres/init.lua:351-376), a read shows the seconds left, and an expired
/// entity is not read at all.
/// </summary>
public static class TimeToLive
{
    /// <summary>Kong's DAO_MAX_TTL (kong/constants.lua:205).</summary>
    public const long Max = 100_000_000;

    public const string Field = "ttl";

    /// <summary>
    /// The Unix time an Admin API ttl of <paramref name="seconds"/> ends, counted from
    /// <paramref name="createdAt"/>; null for 0 (never). Kong's message for anything else
    /// (kong/db/dao/init.lua:196-201).
    /// </summary>
    internal static JsonNode? Expiry(JsonNode seconds, long createdAt, List<FieldError> errors)
    {
        if (!Validators.TryInteger(seconds, out var ttl) || ttl < 0 || ttl > Max)
        {
            errors.Add(new FieldError(Field, $"must be an integer between 0 and {Max}"));
            return null;
        }
        return ttl == 0 ? null : JsonValue.Create(createdAt + ttl);
    }

    public static bool IsExpired(EntitySchema schema, JsonObject entity, DateTimeOffset now) =>
        schema.Ttl && entity[Field] is { } value && Validators.TryInteger(value, out var expiry) && expiry <= now.ToUnixTimeSeconds();

    /// <summary>The entity as the Admin API shows it: its ttl as the seconds left, or null once it has expired.</summary>
    public static JsonObject? Present(EntitySchema schema, JsonObject entity, DateTimeOffset now) =>
        IsExpired(schema, entity, now) ? null : Answered(schema, entity, now);

    /// <summary>
    /// The entity as a write answers it, even when its ttl ran out while the write was made (a ttl
    /// of 1 s crosses into the next second): the seconds left, not below 0. Kong's write answers the
    /// row it wrote (INSERT/UPSERT ... RETURNING the seconds left, with no expiry filter:
    /// kong/db/strategies/postgres/init.lua:1070-1074, 1156-1179); only reads leave out the expired.
    /// </summary>
    public static JsonObject Answered(EntitySchema schema, JsonObject entity, DateTimeOffset now)
    {
        if (!schema.Ttl || entity[Field] is not { } value)
        {
            return entity;
        }
        var shown = (JsonObject)entity.DeepClone();
        shown[Field] = Validators.TryInteger(value, out var expiry) ? Math.Max(0, expiry - now.ToUnixTimeSeconds()) : null;
        return shown;
    }
}
