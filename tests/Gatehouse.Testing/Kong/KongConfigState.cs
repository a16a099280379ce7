using System.Text.Json.Nodes;

namespace Gatehouse.Testing.Kong;

/// <summary>
/// A stand-in's loaded configuration and its test controls, behind one lock: requests run on
/// Kestrel's threads while the test reads and steers from its own.
/// </summary>
internal sealed class KongConfigState
{
    /// <summary>Kong's <c>DECLARATIVE_EMPTY_CONFIG_HASH</c>: what <c>/status</c> says before any config.</summary>
    public const string EmptyHash = "00000000000000000000000000000000";

    private readonly Lock _lock = new();
    private readonly List<string> _loads = [];
    private string _hash = EmptyHash;
    private string? _config;
    private IReadOnlyList<string> _pluginsInUse = [];
    private string? _rejectNext;
    private string? _rejectAll;

    public string CurrentHash
    {
        get
        {
            lock (_lock)
            {
                return _hash;
            }
        }
    }

    public string? CurrentConfig
    {
        get
        {
            lock (_lock)
            {
                return _config;
            }
        }
    }

    public IReadOnlyList<string> Loads
    {
        get
        {
            lock (_lock)
            {
                return [.. _loads];
            }
        }
    }

    /// <summary>Distinct plugin names of the loaded config: Kong's <c>enabled_in_cluster</c>.</summary>
    public IReadOnlyList<string> PluginsInUse
    {
        get
        {
            lock (_lock)
            {
                return _pluginsInUse;
            }
        }
    }

    public void RejectNextWith(string message)
    {
        lock (_lock)
        {
            _rejectNext = message;
        }
    }

    public void RejectAll(string? message)
    {
        lock (_lock)
        {
            _rejectAll = message;
        }
    }

    /// <summary>The refusal a test asked for, if any; a one-off refusal is used up by this call.</summary>
    public string? TakeRejection()
    {
        lock (_lock)
        {
            var message = _rejectNext ?? _rejectAll;
            _rejectNext = null;
            return message;
        }
    }

    public void Load(string hash, string config, JsonObject document)
    {
        var plugins = KongDeclarativeValidation.Plugins(document).Select(plugin => plugin.Name).Distinct(StringComparer.Ordinal).ToList();
        lock (_lock)
        {
            _hash = hash;
            _config = config;
            _pluginsInUse = plugins;
            _loads.Add(hash);
        }
    }
}
