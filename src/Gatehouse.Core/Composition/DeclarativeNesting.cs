using Gatehouse.Core.Entities;
using Gatehouse.Core.Entities.Schemas;

namespace Gatehouse.Core.Composition;

/// <summary>
/// Which collections a declarative file (decK's, Kong's) may write inside a parent entity rather
/// than at the top level: the one home of that knowledge, for the import that reads such files and
/// the render that writes them.
/// </summary>
public static class DeclarativeNesting
{
    /// <summary>
    /// A collection written inside its parent under <paramref name="Key"/>, each item without the
    /// <paramref name="ForeignKey"/> that names the parent. <paramref name="Written"/> when Gatehouse's
    /// render nests it there too (decK's form: no top-level targets, SNIs, credentials or group
    /// members); the others are only read.
    /// </summary>
    public sealed record Nested(string Key, EntitySchema Schema, string ForeignKey, bool Written = false);

    private static readonly Dictionary<string, Nested[]> s_byParent = new(StringComparer.Ordinal)
    {
        [Services.Schema.Name] = [new("routes", Routes.Schema, "service"), new("plugins", Plugins.Schema, "service")],
        [Routes.Schema.Name] = [new("plugins", Plugins.Schema, "route")],
        [Consumers.Schema.Name] =
        [
            new("plugins", Plugins.Schema, "consumer"),
            new("groups", ConsumerGroups.Membership, "consumer"),
            .. ConsumerCredentials.All.Select(credential => new Nested(credential.DeclarativeKey, credential, "consumer", Written: true)),
        ],
        // Members are written as the consumers they name, by username or id (see DeclarativeConfig).
        [ConsumerGroups.Schema.Name] =
        [
            new("plugins", Plugins.Schema, "consumer_group"),
            new("consumers", ConsumerGroups.Membership, "consumer_group", Written: true),
        ],
        [Upstreams.Schema.Name] = [new("targets", Targets.Schema, "upstream", Written: true)],
        [Certificates.Schema.Name] = [new("snis", Snis.Schema, "certificate", Written: true)],
        [KeySets.Schema.Name] = [new("keys", Keys.Schema, "set")],
    };

    private static readonly Dictionary<string, Nested[]> s_writtenIn = s_byParent
        .Select(entry => (entry.Key, Written: entry.Value.Where(n => n.Written).ToArray()))
        .Where(entry => entry.Written.Length > 0)
        .ToDictionary(entry => entry.Key, entry => entry.Written, StringComparer.Ordinal);

    private static readonly HashSet<string> s_writtenNested = [.. s_writtenIn.Values.SelectMany(n => n).Select(n => n.Schema.Name)];

    /// <summary>What a file may nest in an entity of <paramref name="parent"/>.</summary>
    public static IReadOnlyList<Nested> In(EntitySchema parent) => s_byParent.GetValueOrDefault(parent.Name) ?? [];

    /// <summary>What Gatehouse's render writes inside an entity of <paramref name="parent"/>.</summary>
    public static IReadOnlyList<Nested> WrittenIn(EntitySchema parent) => s_writtenIn.GetValueOrDefault(parent.Name) ?? [];

    /// <summary>Every collection the render writes inside a parent, in the order of <see cref="KongSchemas.All"/>.</summary>
    public static IReadOnlyList<Nested> AllWritten { get; } =
        [.. KongSchemas.All.SelectMany(parent => WrittenIn(parent))];

    /// <summary>Whether the render writes this collection inside its parent rather than at the top level.</summary>
    public static bool IsWrittenNested(EntitySchema schema) => s_writtenNested.Contains(schema.Name);
}
