using Gatehouse.Core.Validation;

namespace Gatehouse.Core.Access;

/// <summary>The field rules the identity services share: lengths of names and descriptions, and one error listing every broken rule.</summary>
public static class IdentityRules
{
    /// <summary>A text of <paramref name="min"/> to <paramref name="max"/> characters, blanks not counting towards the minimum.</summary>
    public static InvalidParameter? CheckText(string field, string value, int min, int max) =>
        value.Trim().Length < min ? InvalidParameter.MinLength(field, min)
        : value.Length > max ? InvalidParameter.MaxLength(field, max)
        : null;

    public static void ThrowIfInvalid(params InvalidParameter?[] errors)
    {
        if (errors.OfType<InvalidParameter>().ToList() is { Count: > 0 } found)
        {
            throw new RequestInvalidException("Request contains invalid parameters.", found);
        }
    }
}
