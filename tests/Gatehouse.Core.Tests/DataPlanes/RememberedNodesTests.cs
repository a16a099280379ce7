using Gatehouse.Core.DataPlanes;

namespace Gatehouse.Core.Tests.DataPlanes;

/// <summary>A config pull is judged from memory only on exactly the facts last heard from the node.</summary>
public sealed class RememberedNodesTests
{
    private static DataPlaneNode Node(Guid? controlPlane = null, string version = "3.9.1.0", params NodePlugin[] plugins) => new()
    {
        Id = Guid.NewGuid(),
        ControlPlaneId = controlPlane ?? Guid.NewGuid(),
        Hostname = "dp",
        Version = version,
        Plugins = plugins,
        CertificateId = Guid.NewGuid(),
        LastPing = DateTimeOffset.UnixEpoch,
        CreatedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public void A_node_is_recalled_by_the_hash_of_the_facts_last_heard_and_by_nothing_else()
    {
        var memory = new RememberedNodes();
        var node = Node(plugins: new NodePlugin("cors", "3.9.1"));
        memory.Remember(node);

        Assert.Same(node, memory.Recall(node.ControlPlaneId, node.Id, NodeFacts.Hash(node)));
        Assert.Null(memory.Recall(node.ControlPlaneId, node.Id, null));
        Assert.Null(memory.Recall(node.ControlPlaneId, node.Id, NodeFacts.Hash("3.9.1.0", [])));
        Assert.Null(memory.Recall(Guid.NewGuid(), node.Id, NodeFacts.Hash(node)));

        // The node has since said other things: only those are recalled.
        var upgraded = node with { Version = "3.9.2.0" };
        memory.Remember(upgraded);
        Assert.Null(memory.Recall(node.ControlPlaneId, node.Id, NodeFacts.Hash(node)));
        Assert.Same(upgraded, memory.Recall(node.ControlPlaneId, node.Id, NodeFacts.Hash(upgraded)));
        Assert.Same(upgraded, memory.Find(node.ControlPlaneId, node.Id));
    }

    [Fact]
    public void A_forgotten_node_is_neither_found_nor_recalled()
    {
        var memory = new RememberedNodes();
        var node = Node();
        memory.Remember(node);

        memory.Forget(node.ControlPlaneId, node.Id);

        Assert.Null(memory.Find(node.ControlPlaneId, node.Id));
        Assert.Null(memory.Recall(node.ControlPlaneId, node.Id, NodeFacts.Hash(node)));
    }

    [Fact]
    public void Past_its_capacity_it_forgets_everything_and_starts_again()
    {
        var memory = new RememberedNodes(capacity: 3);
        var controlPlane = Guid.NewGuid();
        var nodes = Enumerable.Range(0, 4).Select(_ => Node(controlPlane)).ToList();

        nodes.ForEach(memory.Remember);

        Assert.Equal(1, memory.Count);
        Assert.Same(nodes[3], memory.Find(controlPlane, nodes[3].Id));
        Assert.All(nodes[..3], n => Assert.Null(memory.Find(controlPlane, n.Id)));
    }
}
