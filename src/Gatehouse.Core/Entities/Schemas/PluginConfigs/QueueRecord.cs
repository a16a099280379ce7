using System.Text.Json.Nodes;
using static Gatehouse.Core.Entities.Schemas.PluginConfigs.PluginFields;
using static Gatehouse.Core.Entities.Validators;

namespace Gatehouse.Core.Entities.Schemas.PluginConfigs;

/// <summary>
/// The shared <c>queue</c> record of Kong's batching plugins (typedefs.queue, kong/tools/queue_schema.lua:4-60
/// at 3.9.3): how many entries a batch, a queue and a retry hold. <c>max_bytes</c> has no default.
/// </summary>
public static class QueueRecord
{
    public static Field Config { get; } = Record("queue",
        Integer("max_batch_size", 1).With(Between(1, 1000000)),
        Number("max_coalescing_delay", 1).With(Between(0, 3600)),
        Integer("max_entries", 10000).With(Between(1, 1000000)),
        Integer("max_bytes"),
        Number("max_retry_time", 60),
        Number("initial_retry_delay", 0.01).With(Between(0.001, 1000000)),
        Number("max_retry_delay", 60).With(Between(0.001, 1000000)),
        Integer("concurrency_limit", 1).With(OneOfIntegers(-1, 1)));

    /// <summary>
    /// <c>typedefs.queue { default = { max_batch_size = … } }</c>: a left-out queue starts from that
    /// record and gets the other defaults around it (si:1654-1661); a given queue does not.
    /// </summary>
    public static Field WithMaxBatchSize(long maxBatchSize) => Config with { Default = new JsonObject { ["max_batch_size"] = maxBatchSize } };
}
