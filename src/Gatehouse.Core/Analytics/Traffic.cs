namespace Gatehouse.Core.Analytics;

/// <summary>
/// Requests counted by status class and their latency histogram: what a node reports of one
/// service over some time, and what sums of such reports are.
/// </summary>
public sealed class Traffic
{
    private readonly Dictionary<string, long> _byClass = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, long> ByClass => _byClass;

    public LatencyHistogram Latency { get; } = new();

    public long Requests => _byClass.Values.Sum();

    public long Of(string statusClass) => _byClass.GetValueOrDefault(statusClass);

    public bool IsEmpty => Requests == 0 && Latency.IsEmpty;

    public void AddRequests(string statusClass, long count)
    {
        if (count > 0)
        {
            _byClass[statusClass] = _byClass.GetValueOrDefault(statusClass) + count;
        }
    }

    public void Add(Traffic other)
    {
        foreach (var (statusClass, count) in other._byClass)
        {
            AddRequests(statusClass, count);
        }
        Latency.Add(other.Latency);
    }
}

/// <summary>
/// One node's traffic over some time, per service (Kong's <c>service</c> label: the service's name,
/// or its host when it has none; <see cref="NoService"/> for requests no service took, such as 404s).
/// </summary>
public sealed class ServiceTraffic
{
    public const string NoService = "";

    private readonly SortedDictionary<string, Traffic> _services = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, Traffic> Services => _services;

    public bool IsEmpty => _services.Values.All(t => t.IsEmpty);

    public Traffic For(string service)
    {
        if (!_services.TryGetValue(service, out var traffic))
        {
            _services[service] = traffic = new Traffic();
        }
        return traffic;
    }

    public void Add(ServiceTraffic other)
    {
        foreach (var (service, traffic) in other._services)
        {
            For(service).Add(traffic);
        }
    }

    /// <summary>All services together.</summary>
    public Traffic Total()
    {
        var total = new Traffic();
        foreach (var traffic in _services.Values)
        {
            total.Add(traffic);
        }
        return total;
    }
}

/// <summary>
/// What one heartbeat reports: the traffic since the node's last acknowledged report, sampled at
/// <paramref name="At"/>. <paramref name="Sequence"/> is unique per node (the sidecar starts it at
/// its start time in microseconds): a heartbeat delivered twice carries the same sequence, and is
/// stored once.
/// </summary>
public sealed record MetricsReport(long Sequence, DateTimeOffset At, ServiceTraffic Traffic);

/// <summary>A stored report: whose, and the minute it counts in.</summary>
public sealed record NodeMinuteReport(Guid NodeId, DateTimeOffset Minute, long Sequence, ServiceTraffic Traffic);
