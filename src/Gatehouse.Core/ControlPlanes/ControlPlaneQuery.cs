using System.Globalization;
using Gatehouse.Core.Validation;

namespace Gatehouse.Core.ControlPlanes;

/// <summary>
/// A list request: Konnect's page-number paging, <c>filter[field][op]</c> filters (deepObject),
/// <c>labels=key:value,existCheck</c> and <c>sort=created_at desc,name</c>.
/// </summary>
public sealed class ControlPlaneQuery
{
    public const int DefaultPageSize = 10;
    public const int MaxPageSize = 100;

    private static readonly Dictionary<string, string[]> s_filterOperators = new(StringComparer.Ordinal)
    {
        ["id"] = ["eq", "oeq"],
        ["name"] = ["eq", "neq", "contains"],
        ["cluster_type"] = ["eq", "neq", "oeq"],
    };

    private static readonly Dictionary<string, Func<ControlPlane, IComparable>> s_sortKeys = new(StringComparer.Ordinal)
    {
        ["created_at"] = cp => cp.CreatedAt,
        ["updated_at"] = cp => cp.UpdatedAt,
        ["name"] = cp => cp.Name,
    };

    private readonly List<Func<ControlPlane, bool>> _filters = [];
    private readonly List<(Func<ControlPlane, IComparable> Key, bool Descending)> _sort = [];

    private ControlPlaneQuery()
    {
    }

    public int PageSize { get; private set; } = DefaultPageSize;

    public int PageNumber { get; private set; } = 1;

    /// <summary>Reads the query string; unknown or malformed parameters are reported, not ignored.</summary>
    public static (ControlPlaneQuery? Query, List<InvalidParameter> Errors) Parse(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var query = new ControlPlaneQuery();
        var errors = new List<InvalidParameter>();
        foreach (var (name, value) in parameters)
        {
            switch (name)
            {
                case "page[size]":
                    query.PageSize = PositiveInt(name, value, MaxPageSize, errors) ?? query.PageSize;
                    break;
                case "page[number]":
                    query.PageNumber = PositiveInt(name, value, int.MaxValue, errors) ?? query.PageNumber;
                    break;
                case "labels":
                    query.AddLabelFilter(value, errors);
                    break;
                case "sort":
                    query.AddSort(value, errors);
                    break;
                case "filter[cloud_gateway]" or "filter[cloud_gateway][eq]":
                    if (bool.TryParse(value, out var cloudGateway))
                    {
                        query._filters.Add(cp => cp.CloudGateway == cloudGateway);
                    }
                    else
                    {
                        errors.Add(new InvalidParameter(name, "must be true or false", "is_boolean"));
                    }
                    break;
                default:
                    if (!query.TryAddFieldFilter(name, value, errors))
                    {
                        errors.Add(new InvalidParameter(name, $"unknown query parameter {name}", "unknown_property"));
                    }
                    break;
            }
        }
        if (query._sort.Count == 0)
        {
            query._sort.Add((s_sortKeys["created_at"], false));
        }
        return errors.Count == 0 ? (query, errors) : (null, errors);
    }

    /// <summary>Leaves out what <paramref name="visible"/> refuses, before paging, so pages and totals count only what is shown.</summary>
    public ControlPlaneQuery VisibleOnly(Func<ControlPlane, bool> visible)
    {
        _filters.Add(visible);
        return this;
    }

    /// <summary>Filters, sorts (ties broken by id, so pages are stable) and cuts out the requested page.</summary>
    public (IReadOnlyList<ControlPlane> Page, int Total) Apply(IEnumerable<ControlPlane> controlPlanes)
    {
        var matching = controlPlanes.Where(cp => _filters.All(f => f(cp)));
        IOrderedEnumerable<ControlPlane>? ordered = null;
        foreach (var (key, descending) in _sort)
        {
            ordered = (ordered, descending) switch
            {
                (null, false) => matching.OrderBy(key),
                (null, true) => matching.OrderByDescending(key),
                (_, false) => ordered.ThenBy(key),
                (_, true) => ordered.ThenByDescending(key),
            };
        }
        var all = ordered!.ThenBy(cp => cp.Id).ToList();
        var page = all.Skip((int)Math.Min(int.MaxValue, ((long)PageNumber - 1) * PageSize)).Take(PageSize).ToList();
        return (page, all.Count);
    }

    private bool TryAddFieldFilter(string name, string value, List<InvalidParameter> errors)
    {
        // filter[field][op], or filter[field] meaning eq.
        if (!name.StartsWith("filter[", StringComparison.Ordinal) || !name.EndsWith(']'))
        {
            return false;
        }
        var parts = name["filter[".Length..^1].Split("][");
        if (parts.Length > 2 || !s_filterOperators.TryGetValue(parts[0], out var operators))
        {
            return false;
        }
        var field = parts[0];
        var op = parts.Length == 2 ? parts[1] : "eq";
        if (!operators.Contains(op))
        {
            errors.Add(InvalidParameter.OneOf(name, operators) with { Reason = $"filter[{field}] supports only {string.Join(", ", operators)}" });
            return true;
        }

        Func<ControlPlane, string> read = field switch
        {
            "id" => cp => cp.Id.ToString(),
            "name" => cp => cp.Name,
            _ => cp => cp.ClusterType.ToWire(),
        };
        var values = value.Split(',', StringSplitOptions.TrimEntries);
        _filters.Add(op switch
        {
            "eq" => cp => string.Equals(read(cp), value, field == "id" ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal),
            "neq" => cp => !string.Equals(read(cp), value, StringComparison.Ordinal),
            "contains" => cp => read(cp).Contains(value, StringComparison.OrdinalIgnoreCase),
            _ => cp => values.Contains(read(cp), field == "id" ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal),
        });
        return true;
    }

    private void AddLabelFilter(string value, List<InvalidParameter> errors)
    {
        foreach (var term in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = term.IndexOf(':', StringComparison.Ordinal);
            if (colon == 0)
            {
                errors.Add(new InvalidParameter("labels", $"'{term}' names no label key", "is_label"));
                continue;
            }
            var key = colon < 0 ? term : term[..colon];
            if (colon < 0)
            {
                _filters.Add(cp => cp.Labels.ContainsKey(key));
            }
            else
            {
                var expected = term[(colon + 1)..];
                _filters.Add(cp => cp.Labels.TryGetValue(key, out var actual) && actual == expected);
            }
        }
    }

    private void AddSort(string value, List<InvalidParameter> errors)
    {
        foreach (var term in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var words = term.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var descending = words.Length == 2 && words[1].Equals("desc", StringComparison.OrdinalIgnoreCase);
            var valid = words.Length == 1 || (words.Length == 2 && (descending || words[1].Equals("asc", StringComparison.OrdinalIgnoreCase)));
            if (valid && s_sortKeys.TryGetValue(words[0], out var key))
            {
                _sort.Add((key, descending));
            }
            else
            {
                errors.Add(InvalidParameter.OneOf("sort", [.. s_sortKeys.Keys]) with
                {
                    Reason = $"cannot sort by '{term}': use {string.Join(", ", s_sortKeys.Keys)}, optionally followed by asc or desc",
                });
            }
        }
    }

    /// <summary>A page[size] or page[number] value: a whole number from 1 to <paramref name="maximum"/>, else an error naming it.</summary>
    public static int? PositiveInt(string name, string value, int maximum, List<InvalidParameter> errors)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            errors.Add(new InvalidParameter(name, "must be a positive integer", "is_integer"));
            return null;
        }
        if (number < 1)
        {
            errors.Add(new InvalidParameter(name, "must be at least 1", "min") { Minimum = 1 });
            return null;
        }
        if (number > maximum)
        {
            errors.Add(new InvalidParameter(name, $"must be at most {maximum}", "max") { Maximum = maximum });
            return null;
        }
        return number;
    }
}
