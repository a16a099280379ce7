using Gatehouse.Core.Analytics;

namespace Gatehouse.Functions.Analytics;

/// <summary>
/// Traffic the nodes report with their heartbeats, kept per minute and served per time bucket.
/// <c>Gatehouse__Analytics__RetentionDays</c> (7; fractions allowed) bounds how long it is kept;
/// the sweeper deletes what is older.
/// </summary>
internal static class AnalyticsModule
{
    public static IServiceCollection AddGatehouseAnalytics(this IServiceCollection services, IConfiguration configuration)
    {
        var days = configuration.GetValue("Gatehouse:Analytics:RetentionDays", 7.0);
        if (!(days > 0 && days <= 3660))
        {
            throw new InvalidOperationException($"Gatehouse__Analytics__RetentionDays must be a positive number of days (at most 3660); it is {days}.");
        }
        services.AddSingleton(sp => new AnalyticsRetention(sp.GetRequiredService<IAnalyticsStore>(), TimeSpan.FromDays(days), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<AnalyticsRecorder>();
        services.AddSingleton<AnalyticsService>();
        return services;
    }
}
