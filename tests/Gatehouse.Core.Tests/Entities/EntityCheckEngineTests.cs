using Gatehouse.Core.Entities;
using static Gatehouse.Core.Tests.Entities.EntityAssert;

namespace Gatehouse.Core.Tests.Entities;

/// <summary>Engine rules that no written plugin schema exercises yet (si:771-779, si:1323-1329).</summary>
public sealed class EntityCheckEngineTests
{
    private static readonly EntitySchema s_schema = new("things",
    [
        Typedefs.Id,
        new Field("limits", FieldType.Record) { Fields = [new Field("low", FieldType.Integer), new Field("high", FieldType.Integer)] },
    ])
    {
        Singular = "thing",
        Checks = [EntityChecks.Custom(["limits.low", "limits.high"], entity =>
            EntityChecks.Get(entity, "limits.low")?.GetValue<long>() > EntityChecks.Get(entity, "limits.high")?.GetValue<long>() ? "low must not exceed high" : null)],
    };

    [Fact]
    public void A_custom_entity_check_reads_dotted_paths_and_runs_only_when_its_sources_are_valid()
    {
        Valid(s_schema, """{"limits":{"low":1,"high":2}}""");
        HasError(Invalid(s_schema, """{"limits":{"low":3,"high":2}}"""), null, "low must not exceed high");
        var errors = Invalid(s_schema, """{"limits":{"low":3,"high":"x"}}""");
        HasError(errors, "limits.high", "expected an integer");
        Assert.DoesNotContain(errors, e => e.Path is null);
    }
}
