using Gatehouse.Core.Entities;
using Gatehouse.Core.Validation;

namespace Gatehouse.Core.Import;

/// <summary>
/// What is wrong with one entity of a declarative file, in the shape of Kong's
/// <c>flattened_errors</c>: which entity (type, name, id, and where it is in the file) and each error.
/// </summary>
public sealed record ImportError(string? EntityType, string Path, string? EntityName, string? EntityId, IReadOnlyList<FieldError> Errors);

/// <summary>A declarative file that cannot be imported, with every problem found; nothing was written.</summary>
public sealed class ImportRejectedException(IReadOnlyList<ImportError> errors)
    : GatehouseException($"declarative config is invalid: {errors.Sum(e => e.Errors.Count)} error(s)")
{
    public IReadOnlyList<ImportError> Errors { get; } = errors;
}
