using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using static Gatehouse.Core.Entities.EntityChecks;
using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;
using static Gatehouse.Core.Entities.Validators;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>
/// rate-limiting (kong/plugins/rate-limiting/schema.lua at 3.9.3): limits per period (80-85), what
/// to count by (86-91), the policy (49-70, 92), Redis (94, kong/tools/redis/schema.lua), the
/// periods-order and sync_rate rules (10-36, 100), the deprecated <c>redis_*</c> shorthands
/// (101-194) and the entity checks (198-220).
/// </summary>
public static class RateLimiting
{
    private static readonly string[] s_periods = ["second", "minute", "hour", "day", "month", "year"];

    /// <summary>ORDERED_PERIODS, shortest first; response-ratelimiting has the same.</summary>
    internal static IReadOnlyList<string> Periods => s_periods;

    private static Field Limit(string period) => Number(period).With(GreaterThan(0));

    public static PluginSchema Schema { get; } = new("rate-limiting", Config(
        [
            .. s_periods.Select(Limit),
            Text("limit_by", "consumer").With(OneOf("consumer", "credential", "ip", "service", "header", "path")),
            HeaderName("header_name"),
            Typedefs.Path("path"),
            // A control plane (is_dbless() true, 39-46) offers no "cluster" policy: it needs a database.
            Text("policy", "local") with { EmptyAllowed = true, Validators = [OneOf("local", "redis")] },
            Bool("fault_tolerant", true),
            Redis.Config,
            Bool("hide_client_headers", false),
            Number("error_code", 429).With(GreaterThan(0)),
            Text("error_message", "API rate limit exceeded"),
            Number("sync_rate", -1, required: true),
        ]) with
    {
        Validators = [PeriodsInOrderAndSyncRate],
        Shorthands = Redis.DeprecatedShorthands,
    })
    {
        Protocols = HttpOnly,
        Checks =
        [
            AtLeastOneOf([.. s_periods.Select(p => $"config.{p}")]),
            Conditional("config.policy", Is("redis"), "config.redis.host", Required),
            Conditional("config.policy", Is("redis"), "config.redis.port", Required),
            Conditional("config.policy", Is("redis"), "config.redis.timeout", Required),
            Conditional("config.limit_by", Is("header"), "config.header_name", Required),
            Conditional("config.limit_by", Is("path"), "config.path", Required),
        ],
    };

    /// <summary>validate_periods_order (schema.lua:10-36): a longer period may not allow fewer requests; sync_rate needs Redis.</summary>
    private static string? PeriodsInOrderAndSyncRate(JsonNode value)
    {
        var config = value.AsObject();
        if (PeriodsOutOfOrder(config, "The") is { } outOfOrder)
        {
            return outOfOrder;
        }
        var redis = Text(config["policy"]) == "redis";
        var syncRate = AsDouble(config["sync_rate"]!);
        if (!redis && syncRate != -1)
        {
            return "sync_rate can only be used with the redis policy";
        }
        return redis && syncRate != -1 && syncRate < 0.02 ? "sync_rate must be greater than 0.02, or -1 to disable" : null;
    }

    /// <summary>
    /// The periods check both rate-limiting plugins share (response-ratelimiting's schema.lua:7-23
    /// words it the same but for the lower-case <paramref name="the"/>): the first longer period
    /// whose limit is lower than a shorter one's, limits written as Lua's <c>%.1f</c>.
    /// </summary>
    internal static string? PeriodsOutOfOrder(JsonObject limits, string the)
    {
        for (var i = 0; i < s_periods.Length; i++)
        {
            if (limits[s_periods[i]] is not { } lower || lower.GetValueKind() != JsonValueKind.Number)
            {
                continue;
            }
            for (var j = i + 1; j < s_periods.Length; j++)
            {
                if (limits[s_periods[j]] is { } upper && upper.GetValueKind() == JsonValueKind.Number && AsDouble(upper) < AsDouble(lower))
                {
                    return string.Create(CultureInfo.InvariantCulture,
                        $"{the} limit for {s_periods[j]}({AsDouble(upper):F1}) cannot be lower than the limit for {s_periods[i]}({AsDouble(lower):F1})");
                }
            }
        }
        return null;
    }
}
