using Gatehouse.Core.ControlPlanes;

namespace Gatehouse.Core.Tests.ControlPlanes;

public sealed class ControlPlaneQueryTests
{
    private static readonly DateTimeOffset s_start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly ControlPlane[] s_all =
    [
        Make("alpha", 0, ClusterType.ControlPlane, cloud: false, ("env", "prod"), ("team", "a")),
        Make("beta", 1, ClusterType.ControlPlaneGroup, cloud: false, ("env", "dev")),
        Make("gamma", 2, ClusterType.ControlPlane, cloud: true, ("env", "prod")),
        Make("alphabet", 3, ClusterType.K8sIngressController, cloud: false),
    ];

    private static ControlPlane Make(string name, int minutes, ClusterType type, bool cloud, params (string Key, string Value)[] labels) => new()
    {
        Id = Guid.NewGuid(),
        Name = name,
        ClusterType = type,
        CloudGateway = cloud,
        Labels = labels.ToDictionary(l => l.Key, l => l.Value),
        CreatedAt = s_start.AddMinutes(minutes),
        UpdatedAt = s_start.AddMinutes(10 - minutes),
    };

    private static IReadOnlyList<string> Names(params (string Name, string Value)[] parameters)
    {
        var (query, errors) = ControlPlaneQuery.Parse(parameters.Select(p => KeyValuePair.Create(p.Name, p.Value)));
        Assert.Empty(errors);
        return query!.Apply(s_all).Page.Select(cp => cp.Name).ToList();
    }

    [Fact]
    public void Without_parameters_the_first_10_by_creation_time() =>
        Assert.Equal(["alpha", "beta", "gamma", "alphabet"], Names());

    [Fact]
    public void Name_filters() => Assert.Multiple(
        () => Assert.Equal(["alpha"], Names(("filter[name][eq]", "alpha"))),
        () => Assert.Equal(["alpha"], Names(("filter[name]", "alpha"))),
        () => Assert.Equal(["beta", "gamma", "alphabet"], Names(("filter[name][neq]", "alpha"))),
        () => Assert.Equal(["alpha", "alphabet"], Names(("filter[name][contains]", "ALPHA"))));

    [Fact]
    public void Id_filters()
    {
        Assert.Equal(["beta"], Names(("filter[id][eq]", s_all[1].Id.ToString().ToUpperInvariant())));
        Assert.Equal(["alpha", "gamma"], Names(("filter[id][oeq]", $"{s_all[0].Id},{s_all[2].Id}")));
    }

    [Fact]
    public void Cluster_type_and_cloud_gateway_filters()
    {
        Assert.Equal(["beta"], Names(("filter[cluster_type][eq]", "CLUSTER_TYPE_CONTROL_PLANE_GROUP")));
        Assert.Equal(["alpha", "gamma"], Names(("filter[cluster_type][eq]", "CLUSTER_TYPE_CONTROL_PLANE")));
        Assert.Equal(["beta", "alphabet"], Names(("filter[cluster_type][neq]", "CLUSTER_TYPE_CONTROL_PLANE")));
        Assert.Equal(["beta", "alphabet"], Names(("filter[cluster_type][oeq]", "CLUSTER_TYPE_CONTROL_PLANE_GROUP,CLUSTER_TYPE_K8S_INGRESS_CONTROLLER")));
        Assert.Equal(["gamma"], Names(("filter[cloud_gateway]", "true")));
    }

    [Fact]
    public void Label_filters_match_values_and_existence_and_combine_with_and()
    {
        Assert.Equal(["alpha", "gamma"], Names(("labels", "env:prod")));
        Assert.Equal(["alpha"], Names(("labels", "env:prod,team")));
        Assert.Equal(["alpha", "beta", "gamma"], Names(("labels", "env")));
        Assert.Empty(Names(("labels", "env:staging")));
    }

    [Fact]
    public void Sorting_by_field_and_direction()
    {
        Assert.Equal(["alphabet", "gamma", "beta", "alpha"], Names(("sort", "created_at desc")));
        Assert.Equal(["alpha", "alphabet", "beta", "gamma"], Names(("sort", "name")));
        Assert.Equal(["alphabet", "gamma", "beta", "alpha"], Names(("sort", "updated_at asc")));
    }

    [Fact]
    public void Pages_cut_the_sorted_list_and_count_the_total()
    {
        var (query, _) = ControlPlaneQuery.Parse([KeyValuePair.Create("page[size]", "3"), KeyValuePair.Create("page[number]", "2"), KeyValuePair.Create("sort", "name")]);
        var (page, total) = query!.Apply(s_all);
        Assert.Equal(["gamma"], page.Select(cp => cp.Name));
        Assert.Equal(4, total);

        var (beyond, _) = ControlPlaneQuery.Parse([KeyValuePair.Create("page[number]", "99")]);
        Assert.Empty(beyond!.Apply(s_all).Page);
    }

    [Theory]
    [InlineData("page[size]", "0", "min")]
    [InlineData("page[size]", "101", "max")]
    [InlineData("page[size]", "ten", "is_integer")]
    [InlineData("page[number]", "-1", "is_integer")]
    [InlineData("filter[name][like]", "x", "enum")]
    [InlineData("filter[colour][eq]", "x", "unknown_property")]
    [InlineData("filter[cloud_gateway]", "maybe", "is_boolean")]
    [InlineData("sort", "colour", "enum")]
    [InlineData("sort", "name sideways", "enum")]
    [InlineData("labels", ":value", "is_label")]
    [InlineData("size", "10", "unknown_property")]
    public void Malformed_parameters_are_reported_with_their_name(string name, string value, string rule)
    {
        var (query, errors) = ControlPlaneQuery.Parse([KeyValuePair.Create(name, value)]);
        Assert.Null(query);
        Assert.Contains(errors, e => e.Field.StartsWith(name.Split('[')[0], StringComparison.Ordinal) && e.Rule == rule);
    }
}
