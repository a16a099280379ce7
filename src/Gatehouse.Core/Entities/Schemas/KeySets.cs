using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using static Gatehouse.Core.Entities.EntityChecks;
using static Gatehouse.Core.Entities.Typedefs;

namespace Gatehouse.Core.Entities.Schemas;

/// <summary>Kong's key sets (kong/db/schema/entities/key_sets.lua), at <c>/key-sets</c>.</summary>
public static class KeySets
{
    public static EntitySchema Schema { get; } = new("key-sets",
    [
        Id, CreatedAt, UpdatedAt,
        new Field("name", FieldType.String) { Unique = true },
        Tags,
    ])
    {
        Singular = "key_set",
        DeclarativeKey = "key_sets",
        EndpointKey = "name",
    };
}

/// <summary>
/// Kong's keys (kong/db/schema/entities/keys.lua): a JWK or a PEM pair, unique by kid within a set;
/// the jwk (48) and each PEM (typedefs.lua:704, 711) may be a <c>{vault://…}</c> reference.
/// </summary>
public static class Keys
{
    public static EntitySchema Schema { get; } = new("keys",
    [
        Id, CreatedAt, UpdatedAt,
        Foreign("set", "key-sets", OnDelete.Cascade),
        new Field("name", FieldType.String) { Unique = true },
        new Field("kid", FieldType.String) { Required = true },
        new Field("jwk", FieldType.String) { Referenceable = true },
        new Field("pem", FieldType.Record)
        {
            Optional = true,
            Fields = [new Field("private_key", FieldType.String) { Referenceable = true }, new Field("public_key", FieldType.String) { Referenceable = true }],
            // typedefs.lua:660-668: a pair that holds a reference is not checked.
            RecordChecks = [AtLeastOneOf("private_key", "public_key"), UnlessReferenced(PemPair, "private_key", "public_key")],
        },
        Tags,
        new Field("x5t", FieldType.String),
    ])
    {
        Singular = "key",
        EndpointKey = "name",
        CacheKey = ["kid", "set"],
        // keys.lua:77-81: a jwk that is a reference cannot be validated.
        Checks = [MutuallyExclusive("jwk", "pem"), AtLeastOneOf("jwk", "pem"), UnlessReferenced(JwkMatchesKid, "jwk")],
    };

    private static IEnumerable<FieldError> JwkMatchesKid(JsonObject key, CheckContext context)
    {
        if (Text(key["jwk"]) is not { } text)
        {
            yield break;
        }
        JsonNode? jwk;
        try
        {
            jwk = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            jwk = null;
        }
        if (jwk is not JsonObject)
        {
            yield return FieldError.Entity("could not json decode jwk string");
            yield break;
        }
        if (Text(jwk["kid"]) is not { } kid || kid != Text(key["kid"]))
        {
            yield return FieldError.Entity("kid in jwk.kid must be equal to keys.kid");
            yield break;
        }
        if (Text(jwk["kty"]) is null)
        {
            yield return FieldError.Entity("could not load JWK, likely not a valid key");
        }
    }

    private static IEnumerable<FieldError> PemPair(JsonObject pem, CheckContext context)
    {
        var privateKey = Text(pem["private_key"]);
        var publicKey = Text(pem["public_key"]);
        byte[]? fromPrivate = null, fromPublic = null;
        if (privateKey is not null && (fromPrivate = Pem.PublicKeyOfPrivate(privateKey)) is null)
        {
            return [FieldError.Entity("could not load private key")];
        }
        if (publicKey is not null && (fromPublic = Pem.PublicKey(publicKey)) is null)
        {
            return [FieldError.Entity("could not load public key")];
        }
        return fromPrivate is not null && fromPublic is not null && !CryptographicOperations.FixedTimeEquals(fromPrivate, fromPublic)
            ? [FieldError.Entity("public key does not match private key")]
            : [];
    }
}
