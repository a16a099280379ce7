namespace Gatehouse.Core.Entities;

/// <summary>
/// One validation failure: on a field (<see cref="Path"/> like <c>healthchecks.active.timeout</c>
/// or <c>paths[1]</c>), or on the entity as a whole (<see cref="Path"/> null).
/// </summary>
public sealed record FieldError(string? Path, string Message)
{
    /// <summary>
    /// Takes the place of the errors already found on <see cref="Path"/> (Kong's set_field from an
    /// entity check overwrites the field's own error, si:1337-1342).
    /// </summary>
    public bool Replaces { get; init; }

    public static FieldError Entity(string message) => new(null, message);
}

/// <summary>Checks across fields (Kong's entity_checks). Sees the whole entity after defaults and merges.</summary>
public delegate IEnumerable<FieldError> EntityCheck(System.Text.Json.Nodes.JsonObject entity, CheckContext context);

public sealed record CheckContext(bool IsUpdate)
{
    /// <summary>
    /// Whether a field (dotted path) already failed: Kong skips a custom entity check whose
    /// sources failed (si:1323-1329).
    /// </summary>
    public Func<string, bool> HasError { get; init; } = _ => false;
}
