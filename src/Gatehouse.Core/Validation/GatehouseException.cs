namespace Gatehouse.Core.Validation;

/// <summary>A request the domain refuses: each API family turns these into its own error dialect.</summary>
public abstract class GatehouseException(string message) : Exception(message);

/// <summary>The request breaks the rules; every broken rule is listed with its field.</summary>
public sealed class RequestInvalidException(string message, IReadOnlyList<InvalidParameter> invalidParameters) : GatehouseException(message)
{
    public IReadOnlyList<InvalidParameter> InvalidParameters { get; } = invalidParameters;
}

/// <summary>What the request names does not exist.</summary>
public sealed class NotFoundException(string message) : GatehouseException(message);

/// <summary>The request is valid but collides with what exists (a taken name, a protected object, a reference).</summary>
public sealed class ConflictException(string message) : GatehouseException(message);
