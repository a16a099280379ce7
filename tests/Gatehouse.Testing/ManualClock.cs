namespace Gatehouse.Testing;

/// <summary>A clock that says what a test sets it to: time passes only when the test moves it.</summary>
public sealed class ManualClock(DateTimeOffset? start = null) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start ?? DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}
