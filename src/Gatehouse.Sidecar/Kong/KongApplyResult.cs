namespace Gatehouse.Sidecar.Kong;

/// <summary>
/// How Kong answered a <c>POST /config</c>. Only <see cref="Rejected"/> says the config itself is
/// wrong; <see cref="Unavailable"/> means try again later and keep the last good config meanwhile.
/// </summary>
internal abstract record KongApplyResult
{
    private KongApplyResult()
    {
    }

    /// <summary>Loaded (201): Kong now reports <paramref name="Hash"/> as its configuration_hash.</summary>
    internal sealed record Applied(string Hash) : KongApplyResult;

    /// <summary>Kong already runs this config (304 for <c>check_hash=1</c>).</summary>
    internal sealed record Unchanged(string Hash) : KongApplyResult;

    /// <summary>
    /// Kong refused the config (400, or 413 when it does not fit): its message, and its errors as
    /// compact JSON (flattened_errors, else fields) of at most <see cref="KongRejection.MaxDetailsBytes"/> UTF-8 bytes.
    /// </summary>
    internal sealed record Rejected(string Message, string Details) : KongApplyResult;

    /// <summary>Kong could not be reached or could not load anything now (busy, timing out, exiting, failing).</summary>
    internal sealed record Unavailable(string Reason, TimeSpan? RetryAfter) : KongApplyResult;
}
