using System.Text.Json.Nodes;
using Gatehouse.Core.Entities.Schemas;
using Gatehouse.Core.Entities.Schemas.PluginConfigs;
using Gatehouse.Testing;
using Gatehouse.Testing.Kong;
using static Gatehouse.Core.Tests.Entities.EntityAssert;

namespace Gatehouse.Core.Tests.Entities.PluginConfigs;

/// <summary>The shared table of one config per bundled plugin (<see cref="MinimalPluginConfigs"/>): complete, and each one valid as given.</summary>
public sealed class MinimalPluginConfigsTests
{
    public static TheoryData<string> Names { get; } = [.. MinimalPluginConfigs.ByName.Keys];

    [Fact]
    public void The_table_has_exactly_the_bundled_plugins() =>
        Assert.Equal(PluginSchemas.Bundled.Order(StringComparer.Ordinal), MinimalPluginConfigs.ByName.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Names))]
    public void Each_config_is_valid_and_stored_as_given(string name)
    {
        var given = MinimalPluginConfigs.For(name);
        var stored = Valid(Plugins.Schema, new JsonObject { ["name"] = name, ["config"] = given.DeepClone() }.ToJsonString())["config"]!.AsObject();
        // Every value the table sets comes back as set: Kong only fills in what is missing.
        Assert.Null(JsonSubset.FirstDifference(given, stored, "config"));
    }
}
