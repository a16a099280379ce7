using Gatehouse.Core.DataPlanes;

namespace Gatehouse.Core.Tests.DataPlanes;

public sealed class NodeFactsTests
{
    private static readonly NodePlugin[] s_plugins = [new("rate-limiting", "3.9.1"), new("cors", "3.9.1"), new("my-plugin", null)];

    [Fact]
    public void The_hash_is_as_documented_for_other_clients_to_compute()
    {
        // Python: hashlib.sha256(json.dumps(["3.9.1.0","cors","3.9.1","my-plugin",None,"rate-limiting","3.9.1"], separators=(",",":")).encode()).hexdigest()[:32]
        Assert.Equal("03dbd4a9beb3cfeb5723cd9645871fa5", NodeFacts.Hash("3.9.1.0", s_plugins));
    }

    [Fact]
    public void Plugin_order_does_not_matter_but_every_fact_does()
    {
        var hash = NodeFacts.Hash("3.9.1.0", s_plugins);
        Assert.Equal(hash, NodeFacts.Hash("3.9.1.0", s_plugins.Reverse()));
        Assert.All(new[]
        {
            NodeFacts.Hash("3.9.1", s_plugins),
            NodeFacts.Hash("3.9.1.0", s_plugins[..2]),
            NodeFacts.Hash("3.9.1.0", [s_plugins[0], s_plugins[1], new("my-plugin", "")]),
            NodeFacts.Hash("3.9.1.0", [s_plugins[0], s_plugins[1], new("my-plugin", "1.0.0")]),
            NodeFacts.Hash("3.9.1.0", [.. s_plugins, s_plugins[0]]),
            // The same strings split differently between name and version.
            NodeFacts.Hash("3.9.1.0", [new("cors", "3.9.1"), new("my-plugin", null), new("rate-limiting3.9.1", null)]),
        }, other => Assert.NotEqual(hash, other));
        Assert.Matches("^[0-9a-f]{32}$", hash);
    }

    [Fact]
    public void A_nodes_hash_is_that_of_its_version_and_plugins()
    {
        var node = new DataPlaneNode
        {
            Id = Guid.NewGuid(),
            ControlPlaneId = Guid.NewGuid(),
            Hostname = "dp-1",
            Version = "3.9.1.0",
            Plugins = s_plugins,
            CertificateId = Guid.NewGuid(),
            LastPing = DateTimeOffset.UnixEpoch,
            CreatedAt = DateTimeOffset.UnixEpoch,
            UpdatedAt = DateTimeOffset.UnixEpoch,
        };
        Assert.Equal(NodeFacts.Hash("3.9.1.0", s_plugins), NodeFacts.Hash(node));
        Assert.Equal(NodeFacts.Hash(node), NodeFacts.Hash(node with { Hostname = "dp-2", ConfigHash = new string('a', 32), Labels = new Dictionary<string, string> { ["a"] = "b" } }));
    }
}
