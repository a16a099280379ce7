using System.Text.Json.Nodes;
using Gatehouse.Core.Entities;

namespace Gatehouse.Core.Tests.Entities;

internal static class EntityAssert
{
    public static readonly TimeProvider Clock = new FixedClock(new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero));

    public static JsonObject Valid(EntitySchema schema, string json, WriteMode mode = WriteMode.Insert, JsonObject? existing = null)
    {
        var (entity, errors) = new EntityProcessor(Clock).Prepare(schema, JsonNode.Parse(json)!.AsObject(), mode, existing);
        Assert.True(errors.Count == 0, "unexpected errors: " + string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}")));
        return entity!;
    }

    public static IReadOnlyList<FieldError> Invalid(EntitySchema schema, string json, WriteMode mode = WriteMode.Insert, JsonObject? existing = null)
    {
        var (entity, errors) = new EntityProcessor(Clock).Prepare(schema, JsonNode.Parse(json)!.AsObject(), mode, existing);
        Assert.Null(entity);
        Assert.NotEmpty(errors);
        return errors;
    }

    public static void HasError(IReadOnlyList<FieldError> errors, string? path, string message) =>
        Assert.True(errors.Any(e => e.Path == path && e.Message == message),
            $"expected ({path ?? "entity"}: {message}) among: {string.Join("; ", errors.Select(e => $"{e.Path ?? "entity"}: {e.Message}"))}");

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
