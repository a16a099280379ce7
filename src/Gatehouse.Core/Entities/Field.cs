using System.Text.Json.Nodes;

namespace Gatehouse.Core.Entities;

public enum FieldType
{
    String,
    Integer,
    Number,
    Boolean,
    Array,
    Set,
    Map,
    Record,
    Foreign,
}

/// <summary>What happens to children when the entity a foreign key points at is deleted (Kong's on_delete).</summary>
public enum OnDelete
{
    /// <summary>The delete is refused while children exist.</summary>
    Restrict,

    /// <summary>The children are deleted with it.</summary>
    Cascade,
}

/// <summary>Checks one value; returns Kong's message when it is wrong.</summary>
public delegate string? Validator(JsonNode value);

/// <summary>
/// One field of a Kong entity schema, as Kong's Lua schemas declare them: type, required,
/// default, the validators in Kong's order, and for containers the shape of what they hold.
/// </summary>
public sealed record Field(string Name, FieldType Type)
{
    public bool Required { get; init; }

    /// <summary>Kong makes record fields required unless the schema says <c>required = false</c> (a key's pem).</summary>
    public bool Optional { get; init; }

    /// <summary>Applied (deep-copied) when an insert or upsert leaves the field out.</summary>
    public JsonNode? Default { get; init; }

    /// <summary>
    /// A default made fresh for each insert or upsert that leaves the field out, in place of
    /// <see cref="Default"/>: Kong's <c>auto</c> string fields get a random string (si:1885-1895).
    /// </summary>
    public Func<JsonNode>? Generate { get; init; }

    public IReadOnlyList<Validator> Validators { get; init; } = [];

    /// <summary>Array and set elements; map values.</summary>
    public Field? Elements { get; init; }

    /// <summary>Map keys.</summary>
    public Field? Keys { get; init; }

    /// <summary>Record sub-fields, in order.</summary>
    public IReadOnlyList<Field>? Fields { get; init; }

    /// <summary>A record whose content is not Kong's to check here (a plugin's config): any JSON object is kept as given.</summary>
    public bool FreeForm { get; init; }

    /// <summary>Record entity checks, with the record as the entity.</summary>
    public IReadOnlyList<EntityCheck>? RecordChecks { get; init; }

    /// <summary>
    /// Left out of its record (or entity) when unset instead of shown as null: where the Konnect
    /// spec types a field as non-nullable (an upstream's active health check https_sni and
    /// headers, an mTLS credential's ca_certificate).
    /// </summary>
    public bool OmitWhenNull { get; init; }

    /// <summary>Kong's <c>eq = null</c>: any value is refused with "value must be null" (a plugin's <c>no_consumer</c>).</summary>
    public bool MustBeNull { get; init; }

    /// <summary>Kong's <c>len_min = 0</c> on a string: "" is a value, not an error.</summary>
    public bool EmptyAllowed { get; init; }

    /// <summary>
    /// Kong's <c>referenceable</c>: a <c>{vault://…}</c> reference is kept without running the
    /// field's validators, since only the data plane can resolve it (si:995-997).
    /// </summary>
    public bool Referenceable { get; init; }

    /// <summary>A record's shorthand fields (Kong's <c>shorthand_fields</c>): input-only names rewritten into real fields.</summary>
    public IReadOnlyList<ShorthandField>? Shorthands { get; init; }

    /// <summary>For foreign keys: the collection referenced.</summary>
    public string? Reference { get; init; }

    public OnDelete OnDelete { get; init; } = OnDelete.Restrict;

    /// <summary>No two entities of a control plane may hold the same non-null value.</summary>
    public bool Unique { get; init; }

    /// <summary>Set by the system (id, timestamps): clients may supply them but they are not validated as input.</summary>
    public bool Auto { get; init; }

    /// <summary>A credential's secret (a key-auth key): group conflicts name the field, never the value.</summary>
    public bool Secret { get; init; }

    public Field With(params Validator[] validators) => this with { Validators = [.. Validators, .. validators] };
}

/// <summary>
/// An input-only field of a record (Kong's <c>shorthand_fields</c>, si:1798-1860): validated as
/// <see cref="Field"/>, then removed and replaced by what <see cref="Expand"/> returns, merged
/// into the record. When <see cref="ReplacedWith"/> names the field it deprecates, that field
/// wins where both are given, and the two must agree.
/// </summary>
public sealed record ShorthandField(Field Field, Func<JsonNode, JsonObject> Expand)
{
    /// <summary>The dotted path (within the record) of the field this shorthand is a deprecated form of.</summary>
    public string? ReplacedWith { get; init; }

    /// <summary>
    /// What a JSON null given for the shorthand becomes. Kong calls the shorthand's func with the
    /// null too (si:1804-1819), so a func that writes its value through (session's
    /// <c>cookie_lifetime</c>) sets the real field to null; without this the null is dropped.
    /// </summary>
    public Func<JsonObject>? ExpandNull { get; init; }

    /// <summary>
    /// A deprecated shorthand whose value moves to the dotted path <paramref name="replacedWith"/>
    /// (rate-limiting's <c>redis_host</c> to <c>redis.host</c>).
    /// </summary>
    public static ShorthandField Deprecated(Field field, string replacedWith) =>
        new(field, value => Nest(replacedWith.Split('.'), value.DeepClone())) { ReplacedWith = replacedWith };

    private static JsonObject Nest(ReadOnlySpan<string> path, JsonNode value) =>
        new() { [path[0]] = path.Length == 1 ? value : Nest(path[1..], value) };

    /// <summary>
    /// Kong's <c>deprecation</c> on a shorthand: a value the record already has wins over what the
    /// shorthand produces (si:1820-1838). Implied by <see cref="ReplacedWith"/>; set alone for a
    /// deprecated shorthand that names no replacement (opentelemetry's <c>endpoint</c>).
    /// </summary>
    public bool IsDeprecated { get => field || ReplacedWith is not null; init; }
}
