namespace Gatehouse.Core.Analytics;

/// <summary>The width of the buckets an analytics answer has: a minute, an hour or a day, aligned to UTC.</summary>
public enum Granularity
{
    Minute,
    Hour,
    Day,
}

/// <summary>
/// Which buckets an analytics answer covers: <see cref="From"/> floored and <see cref="To"/>
/// ceiled to the granularity, so every bucket is whole. <see cref="MaxRange"/> bounds how many
/// minute rows one answer reads.
/// </summary>
public sealed record AnalyticsQuery(DateTimeOffset From, DateTimeOffset To, Granularity Granularity)
{
    public static TimeSpan MaxRange(Granularity granularity) => granularity switch
    {
        Granularity.Minute => TimeSpan.FromHours(24),
        Granularity.Hour => TimeSpan.FromDays(31),
        _ => TimeSpan.FromDays(366),
    };

    public static TimeSpan Width(Granularity granularity) => granularity switch
    {
        Granularity.Minute => TimeSpan.FromMinutes(1),
        Granularity.Hour => TimeSpan.FromHours(1),
        _ => TimeSpan.FromDays(1),
    };

    public static bool TryParseGranularity(string text, out Granularity granularity)
    {
        (var ok, granularity) = text switch
        {
            "minute" => (true, Granularity.Minute),
            "hour" => (true, Granularity.Hour),
            "day" => (true, Granularity.Day),
            _ => (false, Granularity.Minute),
        };
        return ok;
    }

    public static string Name(Granularity granularity) => granularity.ToString().ToLowerInvariant();

    public TimeSpan BucketWidth => Width(Granularity);

    /// <summary>The first bucket's start.</summary>
    public DateTimeOffset Start => Floor(From, BucketWidth);

    /// <summary>The last bucket's end.</summary>
    public DateTimeOffset End => Floor(To, BucketWidth) == To.ToUniversalTime() ? To.ToUniversalTime() : Floor(To, BucketWidth) + BucketWidth;

    public static DateTimeOffset Floor(DateTimeOffset time, TimeSpan width)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % width.Ticks), TimeSpan.Zero);
    }
}
