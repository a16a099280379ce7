namespace Gatehouse.Sidecar.Kong;

/// <summary>Kong's Admin API could not be reached or did not answer as Kong does, on a read the caller cannot do without.</summary>
internal sealed class KongAdminException(string message, Exception? inner = null) : Exception(message, inner);
