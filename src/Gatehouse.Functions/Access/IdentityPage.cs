using System.Text.RegularExpressions;
using Gatehouse.Core.ControlPlanes;
using Gatehouse.Core.Validation;

namespace Gatehouse.Functions.Access;

/// <summary>How a list of the identity API may be filtered on one field, as its spec says.</summary>
internal sealed record IdentityFilter(string Field, IdentityFilter.Kind Accepts)
{
    public enum Kind
    {
        /// <summary>StringFieldFilter: <c>filter[f]</c> or <c>filter[f][eq]</c> (exact), <c>filter[f][contains]</c> (any letter case).</summary>
        Text,

        /// <summary>StringFieldEqualsFilter: <c>filter[f]</c> or <c>filter[f][eq]</c>, exact.</summary>
        Exact,

        /// <summary>BooleanFieldFilter: <c>filter[f]=true|false</c>.</summary>
        Boolean,
    }

    public static IdentityFilter Text(string field) => new(field, Kind.Text);

    public static IdentityFilter Exact(string field) => new(field, Kind.Exact);

    public static IdentityFilter Boolean(string field) => new(field, Kind.Boolean);

    /// <summary>The filters of an assigned roles list: role_name and entity_type_name, exact.</summary>
    public static readonly IdentityFilter[] Roles = [Exact("role_name"), Exact("entity_type_name")];
}

/// <summary>
/// The identity API's paging, <c>page[size]</c> and <c>page[number]</c>, answered with
/// <c>meta.page{number,size,total}</c>, and the <c>filter[…]</c> parameters each list declares.
/// Any other query parameter is refused, not ignored.
/// </summary>
internal sealed partial record IdentityPage(int Number, int Size, IReadOnlyList<(string Field, Func<string, bool> Matches)> Filters)
{
    public const int DefaultSize = 10;
    public const int MaxSize = 100;

    public static IdentityPage Parse(IQueryCollection query, params IdentityFilter[] accepted)
    {
        var errors = new List<InvalidParameter>();
        int number = 1, size = DefaultSize;
        var filters = new List<(string, Func<string, bool>)>();
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
                default:
                    if (Filter(name, value, accepted, errors) is { } filter)
                    {
                        filters.Add(filter);
                    }
                    break;
            }
        }
        return errors.Count == 0 ? new IdentityPage(number, size, filters) : throw new RequestInvalidException("Request contains invalid query parameters.", errors);
    }

    /// <summary>
    /// <c>{meta:{page}, data}</c> of the page this asks for, of the items every filter keeps;
    /// <paramref name="field"/> gives an item's value of a filtered field.
    /// </summary>
    public object Of<T>(IReadOnlyList<T> items, Func<T, object> write, Func<T, string, string>? field = null)
    {
        var kept = field is null ? items : [.. items.Where(item => Filters.All(f => f.Matches(field(item, f.Field))))];
        var page = kept.Skip((int)Math.Min(int.MaxValue, ((long)Number - 1) * Size)).Take(Size).Select(write).ToList();
        return new { meta = new { page = new { number = Number, size = Size, total = kept.Count } }, data = page };
    }

    /// <summary>An assigned role's value of the fields <see cref="IdentityFilter.Roles"/> filters.</summary>
    public static string RoleField(Core.Access.AssignedRole role, string field) => field == "role_name" ? role.RoleName : role.EntityTypeName;

    private static (string, Func<string, bool>)? Filter(string name, string value, IdentityFilter[] accepted, List<InvalidParameter> errors)
    {
        var match = FilterName().Match(name);
        var filter = match.Success ? accepted.FirstOrDefault(f => f.Field == match.Groups[1].Value) : null;
        var op = match.Groups[2].Success ? match.Groups[2].Value : "eq";
        if (filter is null || (op == "contains" && filter.Accepts != IdentityFilter.Kind.Text) || (op != "eq" && filter.Accepts == IdentityFilter.Kind.Boolean))
        {
            errors.Add(new InvalidParameter(name, $"unknown query parameter {name}", "unknown_property"));
            return null;
        }
        if (filter.Accepts == IdentityFilter.Kind.Boolean)
        {
            if (!bool.TryParse(value, out var wanted))
            {
                errors.Add(InvalidParameter.WrongType(name, "is_boolean", "true or false"));
                return null;
            }
            return (filter.Field, v => v == (wanted ? "true" : "false"));
        }
        return op == "contains"
            ? (filter.Field, v => v.Contains(value, StringComparison.OrdinalIgnoreCase))
            : (filter.Field, v => v == value);
    }

    [GeneratedRegex(@"^filter\[([a-z_]+)\](?:\[(eq|contains)\])?$")]
    private static partial Regex FilterName();
}
