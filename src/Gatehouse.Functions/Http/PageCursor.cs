using System.Text;
using Gatehouse.Core.Validation;

namespace Gatehouse.Functions.Http;

/// <summary>
/// The opaque <c>page[after]</c> cursors of Konnect's cursor-paged lists: the last id of a page,
/// base64url, so clients treat it as a token rather than build one.
/// </summary>
internal static class PageCursor
{
    public static string Of(Guid after) => Of(after.ToString());

    /// <summary>A cursor for a list in another order than by id: the last key of the page, a name.</summary>
    public static string Of(string after) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(after)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static Guid Parse(string cursor) =>
        Guid.TryParse(ParseText(cursor), out var after) ? after : throw Invalid();

    public static string ParseText(string cursor)
    {
        try
        {
            var padded = cursor.Replace('-', '+').Replace('_', '/');
            padded = padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '=');
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(padded));
        }
        catch (Exception e) when (e is FormatException or DecoderFallbackException)
        {
            throw Invalid();
        }
    }

    private static RequestInvalidException Invalid() =>
        new("Invalid page cursor.", [new InvalidParameter("page[after]", "is not a cursor this API gave out", "invalid")]);

    /// <summary><c>page[size]</c> (1 to <paramref name="max"/>, default <paramref name="defaultSize"/>) and <c>page[after]</c>.</summary>
    public static (int Size, Guid? After) Read(IQueryCollection query, int defaultSize, int max)
    {
        var (size, after) = ReadText(query, defaultSize, max);
        return (size, after is null ? null : Guid.TryParse(after, out var id) ? id : throw Invalid());
    }

    /// <summary><c>page[size]</c> and <c>page[after]</c> for a list whose cursors are <see cref="Of(string)"/>'s.</summary>
    public static (int Size, string? After) ReadText(IQueryCollection query, int defaultSize, int max)
    {
        var size = defaultSize;
        string? after = null;
        if (query.TryGetValue("page[size]", out var sizeText) && sizeText.ToString().Length > 0)
        {
            if (!int.TryParse(sizeText, out size) || size < 1 || size > max)
            {
                throw new RequestInvalidException("Invalid page size.",
                    [new InvalidParameter("page[size]", $"must be an integer from 1 to {max}", "is_integer")]);
            }
        }
        if (query.TryGetValue("page[after]", out var cursor) && cursor.ToString().Length > 0)
        {
            after = ParseText(cursor.ToString());
        }
        return (size, after);
    }
}
