namespace Gatehouse.Testing.OpenApi;

/// <summary>A body that fails its schema, reported by xunit as a failed assertion.</summary>
public sealed class OpenApiAssertionException(string message) : Exception(message), IAssertionException;

/// <summary>
/// xunit takes an exception for a failed assertion, not a crash, when it implements an interface
/// of this name from any assembly. Its own (Xunit.Sdk.IAssertionException) is in xunit.v3.assert,
/// which this project does not reference.
/// </summary>
internal interface IAssertionException;
