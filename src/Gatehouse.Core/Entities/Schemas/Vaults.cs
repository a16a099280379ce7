using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using static Gatehouse.Core.Entities.Typedefs;
using static Gatehouse.Core.Entities.Validators;

namespace Gatehouse.Core.Entities.Schemas;

/// <summary>Kong's vaults (kong/db/schema/entities/vaults.lua): a secret backend under a unique prefix.</summary>
public static partial class Vaults
{
    public static readonly string[] Types = ["env", "aws", "azure", "gcp", "hcv", "konnect"];

    public static EntitySchema Schema { get; } = new("vaults",
    [
        Id, CreatedAt, UpdatedAt,
        new Field("prefix", FieldType.String) { Required = true, Unique = true }.With(NotOneOf(Types), Match(Prefix())),
        new Field("name", FieldType.String) { Required = true }.With(value =>
            Types.Contains(value.GetValue<string>()) ? null : $"vault '{value.GetValue<string>()}' is not installed"),
        new Field("description", FieldType.String),
        new Field("config", FieldType.Record) { FreeForm = true, Default = new JsonObject() },
        Tags,
    ])
    {
        Singular = "vault",
        EndpointKey = "prefix",
    };

    [GeneratedRegex(@"^[a-z][a-z0-9-]*[a-z0-9]\z")]
    private static partial Regex Prefix();
}
