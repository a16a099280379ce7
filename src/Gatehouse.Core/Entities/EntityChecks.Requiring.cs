namespace Gatehouse.Core.Entities;

public static partial class EntityChecks
{
    /// <summary>
    /// Kong's rule for checks that do not run with missing fields (conditional, only_one_of,
    /// custom_entity_check; si:1294-1342): when some of the check's fields are given but one it
    /// requires is not, the check does not run and that field's error becomes "field required for
    /// entity check". Wrap a check with it where the required fields have no default, so that null
    /// means "not given" (a statsd metric's <c>stat_type</c>).
    /// </summary>
    public static EntityCheck Requiring(string[] required, string[] others, EntityCheck check) => (entity, context) =>
    {
        var missing = required.Where(f => Get(entity, f) is null).ToList();
        if (missing.Count == 0)
        {
            return check(entity, context);
        }
        return others.All(f => Get(entity, f) is null)
            ? []
            : [.. missing.Select(f => new FieldError(f, "field required for entity check") { Replaces = true })];
    };
}
