using Gatehouse.Core.Entities.Schemas;

namespace Gatehouse.Core.Tests.Entities;

/// <summary>The one list of collections, and the orders and names taken from it.</summary>
public sealed class KongSchemasTests
{
    [Fact]
    public void In_dependency_order_every_collection_comes_after_what_its_foreign_keys_point_at()
    {
        var order = KongSchemas.InDependencyOrder.Select(s => s.Name).ToList();
        Assert.Equal(KongSchemas.All.Select(s => s.Name).Order(), order.Order());
        Assert.All(KongSchemas.All, schema => Assert.All(schema.ForeignKeys, field =>
            Assert.True(order.IndexOf(field.Reference!) < order.IndexOf(schema.Name), $"{schema.Name}.{field.Name} → {field.Reference}")));
    }

    [Fact]
    public void Declarative_files_name_a_collection_by_the_Admin_APIs_name_but_key_sets()
    {
        Assert.Equal("key_sets", KeySets.Schema.DeclarativeKey);
        Assert.All(KongSchemas.All.Where(s => s != KeySets.Schema), schema => Assert.Equal(schema.Name, schema.DeclarativeKey));
    }
}
