namespace Gatehouse.Core.Entities;

public static partial class EntityChecks
{
    /// <summary>
    /// Kong does not run an entity check when one of its fields is a referenceable string holding
    /// a <c>{vault://…}</c> reference (si:1311-1315): only the data plane can resolve it. The check
    /// names which of its (dotted) fields are referenceable.
    /// </summary>
    public static EntityCheck UnlessReferenced(string[] referenceable, EntityCheck check) => (entity, context) =>
        referenceable.Any(f => Text(Get(entity, f)) is { } value && EntityProcessor.IsVaultReference(value)) ? [] : check(entity, context);
}
