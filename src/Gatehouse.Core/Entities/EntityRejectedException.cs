using Gatehouse.Core.Validation;

namespace Gatehouse.Core.Entities;

public enum Rejection
{
    /// <summary>Fields or entity checks failed.</summary>
    Invalid,

    /// <summary>A foreign key names nothing that exists.</summary>
    Reference,

    /// <summary>A unique value or an id is taken.</summary>
    Conflict,

    /// <summary>The entity, or the parent in the path, does not exist.</summary>
    NotFound,

    /// <summary>A delete is refused because other entities still point at this one.</summary>
    InUse,

    /// <summary>Control plane groups take no entity writes.</summary>
    ReadOnly,

    /// <summary>The control plane cannot answer consistently just now (an import is being applied): retry.</summary>
    Unavailable,
}

/// <summary>A core-entity request Kong would refuse, with every failure and the field it is on.</summary>
public sealed class EntityRejectedException(Rejection kind, string message, IReadOnlyList<FieldError>? errors = null)
    : GatehouseException(message)
{
    public Rejection Kind { get; } = kind;

    public IReadOnlyList<FieldError> Errors { get; } = errors ?? [];
}
