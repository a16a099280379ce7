namespace Gatehouse.Core.Validation;

/// <summary>
/// One reason a request was refused, naming the field: the shape of Konnect's
/// <c>invalid_parameters</c> items (rule, and the limit or the choices where there is one).
/// </summary>
public sealed record InvalidParameter(string Field, string Reason, string? Rule = null)
{
    public long? Minimum { get; init; }

    public long? Maximum { get; init; }

    public IReadOnlyList<string>? Choices { get; init; }

    public static InvalidParameter Required(string field) => new(field, "is a required field", "required");

    public static InvalidParameter UnknownProperty(string field) => new(field, $"property {field} should not exist", "unknown_property");

    public static InvalidParameter WrongType(string field, string rule, string expected) => new(field, $"must be {expected}", rule);

    public static InvalidParameter MinLength(string field, int minimum) =>
        new(field, $"must have at least {minimum} characters", "min_length") { Minimum = minimum };

    public static InvalidParameter MaxLength(string field, int maximum) =>
        new(field, $"must not have more than {maximum} characters", "max_length") { Maximum = maximum };

    public static InvalidParameter MaxItems(string field, int maximum) =>
        new(field, $"must not have more than {maximum} items", "max_items") { Maximum = maximum };

    public static InvalidParameter OneOf(string field, IReadOnlyList<string> choices) =>
        new(field, $"must be one of: {string.Join(", ", choices)}", "enum") { Choices = choices };
}
