using Gatehouse.Core.ControlPlanes;
using Gatehouse.Core.Validation;

namespace Gatehouse.Functions.Access;

/// <summary>
/// The identity API's paging, <c>page[size]</c> and <c>page[number]</c>, answered with
/// <c>meta.page{number,size,total}</c>, and <c>filter[name][eq|contains]</c> on lists of named things.
/// Any other query parameter is refused, not ignored.
/// </summary>
internal sealed record IdentityPage(int Number, int Size, Func<string, bool> NameMatches)
{
    public const int DefaultSize = 10;
    public const int MaxSize = 100;

    public static IdentityPage Parse(IQueryCollection query, bool nameFilter = false)
    {
        var errors = new List<InvalidParameter>();
        int number = 1, size = DefaultSize;
        Func<string, bool> matches = _ => true;
        foreach (var (name, values) in query)
        {
            var value = values.ToString();
            switch (name)
            {
                case "page[size]":
                    size = ControlPlaneQuery.PositiveInt(name, value, MaxSize, errors) ?? size;
                    break;
                case "page[number]":
                    number = ControlPlaneQuery.PositiveInt(name, value, int.MaxValue, errors) ?? number;
                    break;
                case "filter[name]" or "filter[name][eq]" when nameFilter:
                    matches = n => n == value;
                    break;
                case "filter[name][contains]" when nameFilter:
                    matches = n => n.Contains(value, StringComparison.OrdinalIgnoreCase);
                    break;
                default:
                    errors.Add(new InvalidParameter(name, $"unknown query parameter {name}", "unknown_property"));
                    break;
            }
        }
        return errors.Count == 0 ? new IdentityPage(number, size, matches) : throw new RequestInvalidException("Request contains invalid query parameters.", errors);
    }

    /// <summary><c>{meta:{page}, data}</c> of the page of <paramref name="items"/> this asks for.</summary>
    public object Of<T>(IReadOnlyList<T> items, Func<T, object> write)
    {
        var page = items.Skip((int)Math.Min(int.MaxValue, ((long)Number - 1) * Size)).Take(Size).Select(write).ToList();
        return new { meta = new { page = new { number = Number, size = Size, total = items.Count } }, data = page };
    }
}
