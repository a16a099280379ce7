using Gatehouse.Core.Validation;

namespace Gatehouse.Functions.Access;

/// <summary>Ids in identity API paths.</summary>
internal static class PathIds
{
    // Konnect answers an id that cannot exist as one that does not: 404, which every operation documents.
    public static Guid Parse(string value, string what) =>
        Guid.TryParseExact(value, "D", out var id) ? id : throw new NotFoundException($"{what} [{value}] not found.");
}
