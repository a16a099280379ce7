using Gatehouse.Core.Entities;
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
    public void Declarative_files_name_a_collection_by_the_Admin_APIs_name_but_key_sets_and_the_credentials()
    {
        Assert.Equal("key_sets", KeySets.Schema.DeclarativeKey);
        Assert.All(KongSchemas.All.Where(s => s != KeySets.Schema && !ConsumerCredentials.All.Contains(s)), schema => Assert.Equal(schema.Name, schema.DeclarativeKey));
        // Kong's admin_api_name, admin_api_nested_name and DAO name (kong/plugins/*/daos.lua), and decK's keys.
        Assert.Equal(
            [
                ("key-auths", "key-auth", "keyauth_credentials"), ("basic-auths", "basic-auth", "basicauth_credentials"),
                ("hmac-auths", "hmac-auth", "hmacauth_credentials"), ("jwts", "jwt", "jwt_secrets"), ("acls", "acls", "acls"),
                ("mtls-auths", "mtls-auth", "mtls_auth_credentials"),
            ],
            ConsumerCredentials.All.Select(s => (s.Name, s.NestedName, s.DeclarativeKey)));
        Assert.All(ConsumerCredentials.All, schema => Assert.Contains(schema, KongSchemas.All));
    }

    [Fact]
    public void Credentials_are_removed_with_their_consumer()
    {
        var cascading = KongSchemas.ReferencesTo(Consumers.Schema).Where(r => r.Field.OnDelete == OnDelete.Cascade).Select(r => r.Child).ToList();
        Assert.All(ConsumerCredentials.All, schema => Assert.Contains(schema, cascading));
        Assert.Contains(ConsumerCredentials.MtlsAuth, KongSchemas.ReferencesTo(CaCertificates.Schema).Where(r => r.Field.OnDelete == OnDelete.Cascade).Select(r => r.Child));
    }
}
